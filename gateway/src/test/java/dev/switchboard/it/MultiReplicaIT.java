package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.RedisServer;
import io.vertx.core.json.JsonObject;

/**
 * One sandbox process behind two gateway replicas sharing one Redis, as on a cluster with a non-sticky balancer:
 * an organization switch made through one replica holds on the other, and a session started on one replica is served
 * by the other.
 */
class MultiReplicaIT {

    private static RedisServer redis;
    private static GatewayProcess sandbox;
    private static GatewayProcess first;
    private static GatewayProcess second;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        sandbox = GatewayProcess.start("replicas-sandbox", Map.of("MCP_SANDBOX_ONLY", "true"));
        Map<String, String> gateway = Map.of("MCP_BACKEND_BASE_URL", sandbox.base() + "/sandbox", "REDIS_URL", redis.url());
        first = GatewayProcess.start("replicas-gateway-1", gateway);
        second = GatewayProcess.start("replicas-gateway-2", gateway);
    }

    @AfterAll
    static void stop() throws Exception {
        for (GatewayProcess process : new GatewayProcess[] { first, second, sandbox }) {
            if (process != null) {
                process.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
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
