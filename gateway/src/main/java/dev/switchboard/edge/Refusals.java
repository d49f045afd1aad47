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
        String json = body instanceof JsonObject object ? encode(object) : encode((io.vertx.core.json.JsonArray) body);
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json);
    }

    /**
     * Written here rather than by the application's JSON codec, which leaves out null members: a JSON-RPC error whose
     * request had no usable id must say {@code "id": null}.
     */
    static String encode(JsonObject error) {
        StringBuilder json = new StringBuilder("{\"jsonrpc\":\"2.0\",\"id\":");
        Object id = error.getValue("id");
        json.append(id == null ? "null" : id instanceof String text ? quote(text) : String.valueOf(id));
        JsonObject details = error.getJsonObject("error");
        json.append(",\"error\":{\"code\":").append(details.getInteger("code")).append(",\"message\":")
                .append(quote(details.getString("message")));
        if (details.getValue("data") instanceof JsonObject data) {
            json.append(",\"data\":").append(data.encode());
        }
        json.append("}}");
        return json.toString();
    }

    private static String encode(io.vertx.core.json.JsonArray errors) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < errors.size(); i++) {
            json.append(i == 0 ? "" : ",").append(encode(errors.getJsonObject(i)));
        }
        return json.append(']').toString();
    }

    private static String quote(String text) {
        return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
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
