package dev.switchboard.catalog;

import static dev.switchboard.support.Calls.call;
import static dev.switchboard.support.Gateway.result;
import static dev.switchboard.support.Gateway.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.OperatorProfile;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkiverse.mcp.server.test.McpAssured.McpStreamableTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/**
 * MCP_CONTRACT_FILE: a backend whose API extends the built-in contract gets its extra operations listed and relayed,
 * while the embedded sandbox still implements the built-in contract. Runs in the operator's profile (tool prefix, own
 * path), which reads such a contract file.
 */
@QuarkusTest
@TestProfile(OperatorProfile.class)
class ContractFileTest {

    private static final String PREFIX = OperatorProfile.PREFIX;

    @Test
    void theExtraOperationIsListedAndRelayed() {
        McpStreamableTestClient client = OperatorProfile.client();
        try {
            JsonObject listed = result(call(client, PREFIX + "list_operations", Map.of("query", "archived")));
            assertThat(listed.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("name")))
                    .contains(OperatorProfile.EXTRA_OPERATION);
            // the embedded sandbox knows nothing of /archive: the call reaches it and comes back as the workspace's refusal
            ToolResponse relayed = call(client, PREFIX + "run_operation", Map.of("operation", OperatorProfile.EXTRA_OPERATION,
                    "arguments", Map.of("contactId", "ct_acme_0001")));
            assertThat(relayed.isError()).isTrue();
            assertThat(text(relayed)).doesNotContain("Unknown operation").contains(OperatorProfile.EXTRA_OPERATION);
            // the built-in operations work as before
            assertThat(call(client, PREFIX + "contacts_get", Map.of("contactId", "ct_acme_0001")).isError()).isFalse();
        } finally {
            client.disconnect();
        }
    }
}
