package dev.switchboard.mcp;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Answers -32602 for a request whose params (or tools/call arguments) are not JSON objects. The MCP library would
 * otherwise fail on such a message without answering, and the client would wait forever.
 */
@ApplicationScoped
class JsonRpcShapeCheck {

    void register(@Observes Router router) {
        for (String path : new String[] { McpEndpointGuard.BUILT_IN_ROOT, McpEndpointGuard.BUILT_IN_ROOT + "/messages/:id" }) {
            router.route(HttpMethod.POST, path).order(-100).handler(BodyHandler.create()).handler(this::check);
        }
    }

    private void check(RoutingContext ctx) {
        Object message;
        try {
            message = Json.decodeValue(ctx.body().buffer());
        } catch (DecodeException | NullPointerException e) {
            ctx.next(); // the library answers the parse error itself
            return;
        }
        if (message instanceof JsonObject request && request.containsKey("method") && request.containsKey("id")) {
            String problem = problem(request);
            if (problem != null) {
                JsonObject error = new JsonObject().put("jsonrpc", "2.0").put("id", request.getValue("id"))
                        .put("error", new JsonObject().put("code", ToolErrors.INVALID_PARAMS).put("message", problem));
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(error.encode());
                return;
            }
        }
        ctx.next();
    }

    private static String problem(JsonObject request) {
        Object params = request.getValue("params");
        if (params != null && !(params instanceof JsonObject)) {
            return "Invalid params: 'params' must be a JSON object.";
        }
        if ("tools/call".equals(request.getValue("method")) && params instanceof JsonObject object) {
            Object arguments = object.getValue("arguments");
            if (arguments != null && !(arguments instanceof JsonObject)) {
                return "Invalid params: 'arguments' must be a JSON object of the tool's arguments.";
            }
            if (!(object.getValue("name") instanceof String)) {
                return "Invalid params: 'name' must be the name of a tool, as listed by tools/list.";
            }
        }
        return null;
    }
}
