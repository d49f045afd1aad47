package dev.switchboard.edge;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * How the edge says no: always a JSON body a client (or its user) can act on, never an empty 4xx. On the MCP
 * endpoints the body is a JSON-RPC error, so that SDK clients show its message.
 */
final class Refusals {

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    /** A server limit was hit (sessions, shutting down): implementation-defined server error. */
    static final int SERVER_LIMIT = -32000;

    private Refusals() {
    }

    /** A refusal at the HTTP level, with a JSON-RPC error body (id null: no request was read). */
    static void http(RoutingContext ctx, int status, String message) {
        http(ctx, status, INVALID_REQUEST, message);
    }

    static void http(RoutingContext ctx, int status, int code, String message) {
        send(ctx, status, error(null, code, message));
    }

    /** A JSON-RPC error answering the request with this id. */
    static JsonObject error(Object id, int code, String message) {
        return new JsonObject().put("jsonrpc", "2.0").put("id", id)
                .put("error", new JsonObject().put("code", code).put("message", message));
    }

    static void send(RoutingContext ctx, int status, Object body) {
        if (ctx.response().ended()) {
            return;
        }
        String json = body instanceof JsonObject object ? object.encode() : ((io.vertx.core.json.JsonArray) body).encode();
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json);
    }

    /** Answers the library's own empty 4xx with a body that says what to change. */
    static Handler<RoutingContext> explainEmptyFailures() {
        return ctx -> {
            int status = ctx.statusCode();
            if (ctx.response().ended() || status < 400 || status >= 500 || ctx.failure() != null) {
                ctx.next();
                return;
            }
            String message = switch (status) {
                case 400 -> "Bad request: send a JSON-RPC message as the JSON body, with Content-Type: application/json.";
                case 404 -> "Unknown MCP session: it ended or lives on no replica any more. Initialize a new session.";
                case 405 -> "Method not allowed: POST JSON-RPC messages to this endpoint (GET opens a stream for an "
                        + "existing session, DELETE ends one).";
                default -> "The request was refused (HTTP " + status + ").";
            };
            http(ctx, status, message);
        };
    }
}
