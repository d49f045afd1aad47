package dev.switchboard.catalog;

import static dev.switchboard.support.Calls.call;
import static dev.switchboard.support.Gateway.ALICE;
import static dev.switchboard.support.Gateway.result;
import static dev.switchboard.support.Gateway.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.switchboard.support.Gateway;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkiverse.mcp.server.test.McpAssured.McpStreamableTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/**
 * MCP_CONTRACT_FILE: a backend whose API extends the built-in contract gets its extra operations listed and relayed,
 * while the embedded sandbox still implements the built-in contract.
 */
@QuarkusTest
@TestProfile(ContractFileTest.ExtendedContract.class)
class ContractFileTest {

    public static class ExtendedContract implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mcp.contract-file", extendedContract().toString());
        }
    }

    /** The built-in contract and one more read: contacts_get under another path and name. */
    static Path extendedContract() {
        YAMLMapper yaml = new YAMLMapper();
        try (InputStream builtIn = Thread.currentThread().getContextClassLoader().getResourceAsStream(OperationCatalog.CONTRACT_RESOURCE)) {
            JsonNode contract = yaml.readTree(builtIn);
            ObjectNode paths = (ObjectNode) contract.get("paths");
            String[] found = new String[1];
            paths.fields().forEachRemaining(path -> {
                if ("contacts_get".equals(path.getValue().path("get").path("operationId").asText())) {
                    found[0] = path.getKey();
                }
            });
            ObjectNode get = ((ObjectNode) paths.get(found[0]).get("get")).deepCopy();
            get.put("operationId", "contacts_get_archived").put("summary", "Get an archived contact (extended API)");
            paths.putObject("/archive" + found[0]).set("get", get);
            Path file = Files.createTempFile("extended-contract", ".yaml");
            yaml.writeValue(file.toFile(), contract);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theExtraOperationIsListedAndRelayed() {
        McpStreamableTestClient client = Gateway.streamable(ALICE);
        try {
            JsonObject listed = result(call(client, "list_operations", Map.of("query", "archived")));
            assertThat(listed.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("name")))
                    .contains("contacts_get_archived");
            // the embedded sandbox knows nothing of /archive: the call reaches it and comes back as the workspace's refusal
            ToolResponse relayed = call(client, "run_operation", Map.of("operation", "contacts_get_archived",
                    "arguments", Map.of("contactId", "ct_acme_0001")));
            assertThat(relayed.isError()).isTrue();
            assertThat(text(relayed)).doesNotContain("Unknown operation").contains("contacts_get_archived");
            // the built-in operations work as before
            assertThat(call(client, "contacts_get", Map.of("contactId", "ct_acme_0001")).isError()).isFalse();
        } finally {
            client.disconnect();
        }
    }
}
