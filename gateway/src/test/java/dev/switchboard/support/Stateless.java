package dev.switchboard.support;

import static io.restassured.RestAssured.given;

import java.util.Map;

import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;

/** A client of the stateless protocol era (2026-07-28) in tests: each request describes its client in _meta. */
public final class Stateless {

    public static final String VERSION = "2026-07-28";

    private Stateless() {
    }

    /** Client capabilities: elicitation and the tasks extension, as a client that declares both sends them. */
    public static JsonObject canAskAndFollowTasks() {
        return canAsk().put("extensions", new JsonObject().put("io.modelcontextprotocol/tasks", new JsonObject()));
    }

    public static JsonObject canAsk() {
        return new JsonObject().put("elicitation", new JsonObject());
    }

    /** Sends one request and returns the whole JSON-RPC answer (result or error), whatever the HTTP status. */
    public static JsonObject call(String key, String method, JsonObject params, JsonObject capabilities,
            Map<String, String> headers) {
        JsonObject meta = new JsonObject().put("io.modelcontextprotocol/protocolVersion", VERSION)
                .put("io.modelcontextprotocol/clientCapabilities", capabilities)
                .put("io.modelcontextprotocol/clientInfo", new JsonObject().put("name", "stateless-test").put("version", "1"));
        RequestSpecification request = given().contentType("application/json").header("Accept", "application/json")
                .header("MCP-Protocol-Version", VERSION).header("Mcp-Method", method).headers(headers);
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return new JsonObject(request.body(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", method)
                .put("params", params.copy().put("_meta", meta)).encode()).post("/mcp").then().extract().asString());
    }

    public static JsonObject call(String key, String method, JsonObject params, JsonObject capabilities) {
        return call(key, method, params, capabilities, Map.of());
    }

    /** run_operation's params for an operation and its arguments. */
    public static JsonObject runOperation(String operation, JsonObject arguments) {
        return new JsonObject().put("name", "run_operation")
                .put("arguments", new JsonObject().put("operation", operation).put("arguments", arguments));
    }
}
