package dev.switchboard.support;

import static io.restassured.RestAssured.given;

import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkiverse.mcp.server.test.McpAssured;
import io.quarkiverse.mcp.server.test.McpAssured.McpSseTestClient;
import io.quarkiverse.mcp.server.test.McpAssured.McpStreamableTestClient;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

/** Test helpers: MCP clients with the sandbox's demo keys, the sandbox control endpoint, envelope access. */
public final class Gateway {

    public static final String ALICE = "sbx_alice";
    public static final String BOB = "sbx_bob";
    public static final String AGENCY = "sbx_agency";
    public static final String LEGACY = "sbx_legacy_initech";
    public static final String MASTER = "sbx_master";
    public static final String REVOKED = "sbx_revoked";

    private Gateway() {
    }

    /** A connected Streamable HTTP client sending the key (when not null) and extra headers on every request. */
    public static McpStreamableTestClient streamable(String key, Map<String, String> headers) {
        return McpAssured.newStreamableClient().setAdditionalHeaders(message -> headers(key, headers)).build().connect();
    }

    public static McpStreamableTestClient streamable(String key) {
        return streamable(key, Map.of());
    }

    public static McpSseTestClient sse(String key, Map<String, String> headers) {
        return McpAssured.newSseClient().setAdditionalHeaders(message -> headers(key, headers)).build().connect();
    }

    private static MultiMap headers(String key, Map<String, String> headers) {
        MultiMap multiMap = MultiMap.caseInsensitiveMultiMap();
        if (key != null) {
            multiMap.add("Authorization", "Bearer " + key);
        }
        headers.forEach(multiMap::add);
        return multiMap;
    }

    /** The structured content of a tool result: {organization, result, ...}. */
    public static JsonObject envelope(ToolResponse response) {
        Object structured = response.structuredContent();
        if (structured instanceof JsonObject json) {
            return json;
        }
        if (structured instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) map;
            return new JsonObject(typed);
        }
        throw new AssertionError("no structured content in " + response);
    }

    public static JsonObject result(ToolResponse response) {
        return envelope(response).getJsonObject("result");
    }

    public static String text(ToolResponse response) {
        return response.firstContent().asText().text();
    }

    // ------------------------------------------------------------------ sandbox control

    /** The header and token the sandbox control endpoint requires (the test profile fixes the token). */
    public static final String CONTROL_TOKEN_HEADER = "X-Sandbox-Control-Token";

    public static String controlToken() {
        return ConfigProvider.getConfig().getValue("sandbox.control-token", String.class);
    }

    /** A request to the sandbox control endpoint, with the control token. */
    public static RequestSpecification control() {
        return given().header(CONTROL_TOKEN_HEADER, controlToken());
    }

    public static void resetSandbox() {
        control().post("/sandbox/_control/reset").then().statusCode(204);
    }

    public static String fault(Map<String, Object> rule) {
        return control().contentType(ContentType.JSON).body(rule).post("/sandbox/_control/faults")
                .then().statusCode(201).extract().path("id");
    }

    public static void clearFaults() {
        control().delete("/sandbox/_control/faults").then().statusCode(204);
    }

    public static int requests(String operation) {
        Integer count = control().get("/sandbox/_control/requests").then().statusCode(200).extract().path(operation);
        return count == null ? 0 : count;
    }

    public static void membership(String userId, String organizationId, boolean member) {
        control().contentType(ContentType.JSON)
                .body(Map.of("userId", userId, "organizationId", organizationId, "member", member))
                .put("/sandbox/_control/memberships").then().statusCode(200);
    }
}
