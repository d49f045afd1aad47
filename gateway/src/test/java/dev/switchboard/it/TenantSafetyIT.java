package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.switchboard.support.Processes;
import dev.switchboard.support.RedisServer;
import io.vertx.core.json.JsonObject;

/**
 * A call acts on the organization the user chose, or fails saying why, across two gateway processes sharing one Redis:
 * a Redis that restarts empty (as it is shipped without persistence) must not move unpinned calls to the key's default
 * organization, and one request's X-Agency-ID must not delete the key's switch for its other clients.
 */
class TenantSafetyIT {

    @RegisterExtension
    static final Processes processes = new Processes();

    private static RedisServer redis;
    private static GatewayProcess sandbox;
    private static GatewayProcess first;
    private static GatewayProcess second;

    @BeforeAll
    static void start() throws Exception {
        redis = processes.add(RedisServer.start());
        sandbox = processes.add(GatewayProcess.start("tenant-safety-sandbox", Map.of("MCP_SANDBOX_ONLY", "true")));
        Map<String, String> gateway = Map.of("MCP_BACKEND_BASE_URL", sandbox.base() + "/sandbox", "REDIS_URL", redis.url(),
                "MCP_RATE_LIMIT_PER_MINUTE", "0");
        first = processes.add(GatewayProcess.start("tenant-safety-gateway-1", gateway));
        second = processes.add(GatewayProcess.start("tenant-safety-gateway-2", gateway));
    }

    private static Map<String, String> key(String key) {
        return Map.of("Authorization", "Bearer " + key);
    }

    private static String organizationOf(Rpc.Answer answer) {
        return Rpc.structured(answer).getJsonObject("organization").getString("id");
    }

    @Test
    void aRedisThatRestartsEmptyNeverMovesWritesToAnotherOrganization() throws Exception {
        // two clients of one key, one on each replica; the switch is made through the first
        Rpc.Answer switched = Rpc.post(first.base() + "/mcp",
                Rpc.call(1, "organizations_switch", new JsonObject().put("organizationId", "org_globex")), key("sbx_alice"));
        assertThat(organizationOf(switched)).isEqualTo("org_globex");
        Rpc.Answer before = Rpc.post(second.base() + "/mcp",
                Rpc.call(2, "contacts_create", new JsonObject().put("email", "before.reset@example.com")), key("sbx_alice"));
        assertThat(organizationOf(before)).isEqualTo("org_globex");

        redis.kill();
        redis.restart(); // empty: no persistence

        for (GatewayProcess replica : new GatewayProcess[] { second, first }) {
            // the first calls may find the connection to the old Redis broken: those fail closed too (store unavailable)
            Rpc.Answer refused = await().until(() -> Rpc.post(replica.base() + "/mcp",
                    Rpc.call(3, "contacts_create", new JsonObject().put("email", "after.reset@example.com")), key("sbx_alice")),
                    answer -> !answer.message().encode().contains("state store is unavailable"));
            assertThat(refused.message().containsKey("error")).as(refused.message().encode()).isTrue();
            JsonObject error = refused.message().getJsonObject("error");
            assertThat(error.getInteger("code")).isEqualTo(-32003);
            assertThat(error.getString("message")).contains("lost its data").contains("organizations_switch")
                    .contains("X-Company-ID").contains("nothing was done");
        }
        assertThat(contacts("org_acme", "after.reset@example.com")).as("nothing landed in the default organization").isZero();
        assertThat(contacts("org_globex", "after.reset@example.com")).isZero();

        // the organizations can still be listed, and a pinned call still works
        Rpc.Answer listed = Rpc.post(second.base() + "/mcp", Rpc.call(4, "organizations_list", new JsonObject()), key("sbx_alice"));
        assertThat(Rpc.structured(listed).getJsonObject("result").getString("notice")).contains("lost its data");
        Rpc.Answer pinned = Rpc.post(second.base() + "/mcp", Rpc.call(5, "contacts_list", new JsonObject().put("limit", 1)),
                Map.of("Authorization", "Bearer sbx_alice", "X-Company-ID", "org_globex"));
        assertThat(organizationOf(pinned)).isEqualTo("org_globex");

        // choosing again re-establishes the choice for every client of the key, on every replica
        Rpc.post(first.base() + "/mcp", Rpc.call(6, "organizations_switch", new JsonObject().put("organizationId", "org_globex")),
                key("sbx_alice"));
        Rpc.Answer after = Rpc.post(second.base() + "/mcp",
                Rpc.call(7, "contacts_create", new JsonObject().put("email", "after.switch@example.com")), key("sbx_alice"));
        assertThat(organizationOf(after)).isEqualTo("org_globex");
        assertThat(contacts("org_globex", "after.switch@example.com")).isEqualTo(1);
        assertThat(contacts("org_acme", "after.switch@example.com")).isZero();

        // a key with one organization had no choice to lose
        Rpc.Answer bob = Rpc.post(first.base() + "/mcp", Rpc.call(8, "contacts_list", new JsonObject().put("limit", 1)),
                key("sbx_bob"));
        assertThat(organizationOf(bob)).isEqualTo("org_globex");
        assertThat(metric(first, "switchboard_state_store_resets_total") + metric(second, "switchboard_state_store_resets_total"))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void oneRequestsAgencyNeverDeletesTheKeysSwitchForItsOtherClients() throws Exception {
        Rpc.post(first.base() + "/mcp", Rpc.call(1, "organizations_switch", new JsonObject().put("organizationId", "org_initech")),
                key("sbx_master"));
        Rpc.Answer narrowed = Rpc.post(second.base() + "/mcp", Rpc.call(2, "contacts_list", new JsonObject().put("limit", 1)),
                Map.of("Authorization", "Bearer sbx_master", "X-Agency-ID", "agency_northwind"));
        JsonObject error = narrowed.message().getJsonObject("error");
        assertThat(error).as(narrowed.message().encode()).isNotNull();
        assertThat(error.getInteger("code")).isEqualTo(-32003);
        assertThat(error.getString("message")).contains("org_initech").contains("agency_northwind");
        // the other client of the key, on either replica, still acts on the organization it chose
        for (GatewayProcess replica : new GatewayProcess[] { first, second }) {
            Rpc.Answer other = Rpc.post(replica.base() + "/mcp", Rpc.call(3, "organizations_current", new JsonObject()),
                    key("sbx_master"));
            assertThat(organizationOf(other)).isEqualTo("org_initech");
        }
        assertThat(first.output() + second.output()).doesNotContain("Clearing an organization override");
    }

    private static int contacts(String organization, String email) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sandbox.base()
                + "/sandbox/v1/organizations/" + organization + "/contacts?email=" + email))
                .header("Authorization", "Bearer sbx_master").build(), HttpResponse.BodyHandlers.ofString());
        return new JsonObject(response.body()).getJsonArray("items").size();
    }

    private static double metric(GatewayProcess process, String name) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(process.base() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
