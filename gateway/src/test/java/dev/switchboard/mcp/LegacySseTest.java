package dev.switchboard.mcp;

import static dev.switchboard.support.Calls.call;
import static dev.switchboard.support.Gateway.ALICE;
import static dev.switchboard.support.Gateway.result;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.Gateway;
import dev.switchboard.support.ToolSet;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkiverse.mcp.server.test.McpAssured.McpSseTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** The legacy HTTP+SSE transport: the same tools, the same answers, progress notifications on the event stream. */
@QuarkusTest
class LegacySseTest {

    @BeforeEach
    void reset() {
        Gateway.resetSandbox();
    }

    @Test
    void theLegacySseTransportServesTheSameTools() {
        McpSseTestClient sse = Gateway.sse(ALICE, Map.of());
        try {
            sse.when().toolsList(page -> assertThat(page.size()).isEqualTo(ToolSet.defaultCount())).thenAssertResults();
            ToolResponse response = call(sse, "organizations_current", Map.of());
            assertThat(result(response).getJsonObject("organization").getString("id")).isEqualTo("org_acme");
            JsonObject request = sse.newRequest("tools/call").put("params", new JsonObject().put("name", "calls_trigger")
                    .put("arguments", new JsonObject().put("agentId", "ag_acme_0001").put("phone", "+14155550123"))
                    .put("_meta", new JsonObject().put("progressToken", 7)));
            sse.sendAndForget(request);
            JsonObject answer = sse.waitForResponse(request);
            assertThat(answer.getJsonObject("result").getBoolean("isError")).isFalse();
            assertThat(sse.snapshot().notifications()).anyMatch(n -> n.getString("method").equals("notifications/progress"));
        } finally {
            sse.disconnect();
        }
    }
}
