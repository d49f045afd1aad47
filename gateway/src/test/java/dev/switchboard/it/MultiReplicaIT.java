package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.switchboard.support.GenerousWaits;
import dev.switchboard.support.Processes;
import dev.switchboard.support.RedisServer;
import dev.switchboard.support.Resp;
import io.vertx.core.json.JsonObject;

/**
 * One sandbox process behind two gateway replicas sharing one Redis, as on a cluster with a non-sticky balancer:
 * an organization switch made through one replica holds on the other, and a session started on one replica is served
 * by the other.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiReplicaIT {

    @RegisterExtension
    static final Processes processes = new Processes();

    private static RedisServer redis;
    private static GatewayProcess sandbox;
    private static GatewayProcess first;
    private static GatewayProcess second;

    @BeforeAll
    static void start() throws Exception {
        redis = processes.add(RedisServer.start());
        sandbox = processes.add(GatewayProcess.start("replicas-sandbox", Map.of("MCP_SANDBOX_ONLY", "true")));
        // identities are cached for a second only, so that a replica must check a key again with the workspace soon
        Map<String, String> gateway = Map.of("MCP_BACKEND_BASE_URL", sandbox.base() + "/sandbox", "REDIS_URL", redis.url(),
                "MCP_IDENTITY_CACHE_SECONDS", "1");
        first = processes.add(GatewayProcess.start("replicas-gateway-1", gateway));
        second = processes.add(GatewayProcess.start("replicas-gateway-2", gateway));
    }

    private static Map<String, String> alice() {
        return Map.of("Authorization", "Bearer sbx_alice");
    }

    @Test
    void aSwitchThroughOneReplicaHoldsOnTheOther() throws Exception {
        Rpc.Answer switched = Rpc.post(first.base() + "/mcp",
                Rpc.call(1, "organizations_switch", new JsonObject().put("organizationId", "org_globex")), alice());
        assertThat(Rpc.structured(switched).getJsonObject("organization").getString("id")).isEqualTo("org_globex");
        Rpc.Answer current = Rpc.post(second.base() + "/mcp", Rpc.call(2, "organizations_current", new JsonObject()), alice());
        JsonObject result = Rpc.structured(current).getJsonObject("result");
        assertThat(result.getString("source")).isEqualTo("override");
        assertThat(result.getJsonObject("organization").getString("id")).isEqualTo("org_globex");
        Rpc.post(second.base() + "/mcp", Rpc.call(3, "organizations_switch", new JsonObject().put("organizationId", "org_acme")), alice());
        Rpc.Answer back = Rpc.post(first.base() + "/mcp", Rpc.call(4, "contacts_list", new JsonObject().put("limit", 1)), alice());
        assertThat(Rpc.structured(back).getJsonObject("organization").getString("id")).isEqualTo("org_acme");
    }

    /**
     * Someone on the same address guesses keys at the second replica until it throttles the address: a key the
     * deployment accepted before (on the first replica) is still served there, never held back for another's failures.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void aKeyAcceptedByAnyReplicaIsNeverThrottledForAnotherClientsGuesses() throws Exception {
        Rpc.Answer known = Rpc.post(first.base() + "/mcp", Rpc.call(1, "organizations_current", new JsonObject()),
                Map.of("Authorization", "Bearer sbx_agency"));
        assertThat(known.message().containsKey("result")).as(known.message().encode()).isTrue();
        String throttled = null;
        for (int i = 0; i < 30 && throttled == null; i++) {
            Rpc.Answer guess = Rpc.post(second.base() + "/mcp", Rpc.call(2, "contacts_list", new JsonObject()),
                    Map.of("Authorization", "Bearer guessed-" + i));
            String message = guess.message().getJsonObject("error").getString("message");
            throttled = message.contains("Too many failed authentications") ? message : null;
        }
        assertThat(throttled).as("the guesses were throttled").isNotNull();
        // the identity cached in Redis (for 1 s) is gone: the second replica must check the key itself
        GenerousWaits.until("the cached identities to expire", () -> ((List<?>) Resp.command(redis.port(), "KEYS",
                "mcp:identity:*")).isEmpty(), () -> "");
        Rpc.Answer served = Rpc.post(second.base() + "/mcp", Rpc.call(3, "organizations_current", new JsonObject()),
                Map.of("Authorization", "Bearer sbx_agency"));
        assertThat(served.message().containsKey("result")).as(served.message().encode()).isTrue();
    }

    /** A legacy SSE message for a stream that has ended is refused with 404 on every replica, never accepted and lost. */
    @Test
    void aLegacyMessageForAnEndedStreamIsRefusedOnEveryReplica() throws Exception {
        String endpoint;
        try (java.net.Socket stream = new java.net.Socket("127.0.0.1", first.port)) {
            stream.getOutputStream().write(("GET /mcp/sse HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            stream.setSoTimeout(60_000);
            java.io.BufferedReader events = new java.io.BufferedReader(new java.io.InputStreamReader(stream.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            String line;
            do {
                line = events.readLine();
            } while (line != null && !line.startsWith("data: /mcp/messages/"));
            assertThat(line).isNotNull();
            endpoint = line.substring("data: ".length());
        }
        JsonObject ping = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "ping");
        for (GatewayProcess replica : new GatewayProcess[] { second, first }) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(1)).untilAsserted(() ->
                    assertThat(Rpc.post(replica.base() + endpoint, ping, Map.of()).status()).as("posted to %s", replica.log)
                            .isEqualTo(404));
        }
    }

    @Test
    void aSessionStartedOnOneReplicaIsServedByTheOther() throws Exception {
        Rpc.Answer initialized = Rpc.post(first.base() + "/mcp", Rpc.initialize(1), Map.of());
        String session = initialized.sessionId().orElseThrow();
        Map<String, String> headers = Map.of("Authorization", "Bearer sbx_bob", "Mcp-Session-Id", session);
        Rpc.Answer elsewhere = Rpc.post(second.base() + "/mcp", Rpc.call(2, "contacts_list", new JsonObject().put("limit", 1)), headers);
        assertThat(elsewhere.status()).isEqualTo(200);
        assertThat(Rpc.structured(elsewhere).getJsonObject("organization").getString("id")).isEqualTo("org_globex");
    }

    @Test
    void theSandboxIsOffBehindARealBackendAndTheSandboxProcessHasNoMcpSurface() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> hidden = http.send(HttpRequest.newBuilder(URI.create(first.base() + "/sandbox/v1/auth/whoami"))
                .header("Authorization", "Bearer sbx_alice").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(hidden.statusCode()).isEqualTo(404);
        HttpResponse<String> control = http.send(HttpRequest.newBuilder(URI.create(first.base() + "/sandbox/_control/faults"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"operation\":\"*\",\"status\":500,\"probability\":1}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(control.statusCode()).as("fault injection is unreachable").isEqualTo(404);
        Rpc.Answer noMcp = Rpc.post(sandbox.base() + "/mcp", Rpc.initialize(1), Map.of());
        assertThat(noMcp.status()).isEqualTo(404);
        assertThat(first.output()).contains("Workspace API at http://127.0.0.1:" + sandbox.port).contains("State store: redis")
                .doesNotContain("Demo keys");
        assertThat(sandbox.output()).contains("sandbox Workspace API only").contains("sbx_alice");
    }
}
