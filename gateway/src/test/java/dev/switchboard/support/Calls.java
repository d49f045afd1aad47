package dev.switchboard.support;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkiverse.mcp.server.test.McpAssured.McpAssert;
import io.quarkiverse.mcp.server.test.McpAssured.McpError;
import io.quarkiverse.mcp.server.test.McpAssured.McpTestClient;

/** One tool call at a time, returning what came back, for tests that chain calls. */
public final class Calls {

    private Calls() {
    }

    public static <A extends McpAssert<A>, C extends McpTestClient<A, C>> ToolResponse call(McpTestClient<A, C> client, String tool, Map<String, Object> arguments) {
        AtomicReference<ToolResponse> response = new AtomicReference<>();
        client.when().toolsCall(tool, arguments, response::set).thenAssertResults();
        return response.get();
    }

    /** The raw JSON-RPC answer of a call, whether a result or an error. */
    public static <A extends McpAssert<A>, C extends McpTestClient<A, C>> io.vertx.core.json.JsonObject raw(
            McpTestClient<A, C> client, String tool, Map<String, Object> arguments) {
        io.vertx.core.json.JsonObject request = client.newRequest("tools/call").put("params",
                new io.vertx.core.json.JsonObject().put("name", tool).put("arguments", new io.vertx.core.json.JsonObject(arguments)));
        client.sendAndForget(request);
        return client.waitForResponse(request);
    }

    /** A call that must fail with a JSON-RPC error. */
    public static <A extends McpAssert<A>, C extends McpTestClient<A, C>> McpError error(McpTestClient<A, C> client, String tool, Map<String, Object> arguments) {
        AtomicReference<McpError> error = new AtomicReference<>();
        client.when().toolsCall(tool).withArguments(arguments).withErrorAssert(error::set).send().thenAssertResults();
        return error.get();
    }
}
