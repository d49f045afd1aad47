package dev.switchboard.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.switchboard.catalog.OperationCatalog;
import io.quarkiverse.mcp.server.test.McpAssured;
import io.quarkiverse.mcp.server.test.McpAssured.McpStreamableTestClient;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.vertx.core.MultiMap;

/**
 * An operator's deployment, in one profile (one Quarkus start for every test class of it): every operation exposed as
 * a tool, whitelabelled (server name, tool prefix, wording, MCP path), the smallest result budget, and a contract file
 * (MCP_CONTRACT_FILE) that extends the built-in contract by one read, {@value #EXTRA_OPERATION}.
 */
public class OperatorProfile implements QuarkusTestProfile {

    public static final String SERVER_NAME = "acme-workspace";
    public static final String PREFIX = "acme_";
    public static final String PATH = "/assistant";
    /** The smallest budget allowed: the budget's cuts and notices show on ordinary answers. */
    public static final int RESULT_BUDGET_TOKENS = 500;
    /** The operation the contract file adds: contacts_get under another path and name. */
    public static final String EXTRA_OPERATION = "contacts_get_archived";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mcp.expose-all-operations", "true",
                "mcp.tool-prefix", PREFIX,
                "mcp.server-name", SERVER_NAME,
                "mcp.tool-overrides-file", "src/test/resources/tool-overrides.yaml",
                "mcp.path", PATH,
                "mcp.result-budget-tokens", String.valueOf(RESULT_BUDGET_TOKENS),
                "mcp.contract-file", extendedContract().toString());
    }

    /** A Streamable HTTP client on {@link #PATH} with Alice's key (the caller disconnects it). */
    public static McpStreamableTestClient client() {
        return McpAssured.newStreamableClient().setMcpPath(PATH).setAdditionalHeaders(m -> {
            MultiMap headers = MultiMap.caseInsensitiveMultiMap();
            headers.add("Authorization", "Bearer " + Gateway.ALICE);
            return headers;
        }).build().connect();
    }

    /** The built-in contract and one more read, {@value #EXTRA_OPERATION}: contacts_get under another path and name. */
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
            get.put("operationId", EXTRA_OPERATION).put("summary", "Get an archived contact (extended API)");
            paths.putObject("/archive" + found[0]).set("get", get);
            Path file = Files.createTempFile("extended-contract", ".yaml");
            yaml.writeValue(file.toFile(), contract);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
