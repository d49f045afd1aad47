package dev.switchboard.edge;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.switchboard.cluster.Cancellations;
import dev.switchboard.catalog.FormBodies;
import dev.switchboard.config.Endpoints;
import dev.switchboard.config.McpProtocol;
import dev.switchboard.config.RequestHeader;
import dev.switchboard.observability.ClientText;
import dev.switchboard.workarounds.LibraryWorkaround;
import dev.switchboard.workarounds.MessageFixes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Reads every JSON-RPC message posted to the MCP endpoints before the MCP library does, and answers at once, with the
 * JSON-RPC error the specification names, whatever the library would hang on, fail with a 500 or log a stack trace
 * for: malformed JSON, batches the negotiated protocol does not allow, ids, params or _meta of the wrong type, a
 * tools/call without a name, request methods sent as notifications (which are accepted and ignored, as notifications
 * are), completions this server does not offer, invalid log levels. It is lenient where the protocol allows: a client
 * that sends no Accept header (curl, a plain fetch) gets plain JSON; an argument sent as null counts as omitted.
 */
@Singleton
class JsonRpcGate {

    private static final Logger LOG = Logger.getLogger(JsonRpcGate.class);
    private static final int BODY_LIMIT = 8 * 1024 * 1024;
    /** The longest request id or name a message may carry: what a client needs, far below what floods a log. */
    private static final int MAX_ID_LENGTH = 256;
    /** The protocol version the request's session negotiated (routing context data), when it has one. */
    private static final String NEGOTIATED = "switchboard.negotiated";
    private static final java.util.regex.Pattern SESSION_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_=-]{1,128}");
    private static final Set<String> REQUEST_METHODS = Set.of("initialize", "ping", "tools/list", "tools/call",
            "prompts/list", "prompts/get", "resources/list", "resources/read", "resources/templates/list",
            "resources/subscribe", "resources/unsubscribe", "completion/complete", "logging/setLevel");
    private static final List<String> LOG_LEVELS = List.of("debug", "info", "notice", "warning", "error", "critical",
            "alert", "emergency");

    private final Cancellations cancellations;
    private final Sessions sessions;
    private final LegacyStreams legacy;
    private final String mcpPath;
    private final StatelessRequests stateless;
    private final SessionIds sessionIds;
    private final Batches batches;
    private final OAuthGate oauth;

    JsonRpcGate(Cancellations cancellations, Sessions sessions, LegacyStreams legacy, StatelessRequests stateless,
            SessionIds sessionIds, Batches batches, OAuthGate oauth, dev.switchboard.config.GatewayConfig config) {
        this.oauth = oauth;
        this.sessionIds = sessionIds;
        this.batches = batches;
        this.stateless = stateless;
        this.mcpPath = config.path();
        this.cancellations = cancellations;
        this.sessions = sessions;
        this.legacy = legacy;
    }

    void register(@Observes Router router) {
        router.route(Endpoints.MCP + "*").order(-110).failureHandler(Refusals.explainEmptyFailures());
        // checked before the body is read (a body handler must come first on its own route)
        router.route(HttpMethod.POST, Endpoints.MCP).order(-101).handler(JsonRpcGate::jsonBodiesOnly);
        router.route(HttpMethod.POST, Endpoints.LEGACY_MESSAGES + "/:id").order(-101).handler(JsonRpcGate::knownSessionShape)
                .handler(JsonRpcGate::jsonBodiesOnly);
        router.route(HttpMethod.POST, Endpoints.MCP).order(-100).handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT))
                .handler(ctx -> gate(ctx, false));
        router.route(HttpMethod.POST, Endpoints.LEGACY_MESSAGES + "/:id").order(-100)
                .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT)).handler(ctx -> gate(ctx, true));
        router.route(Endpoints.MCP).order(-100).handler(this::otherMethods);
        // reached only when no endpoint of the MCP surface answered: a JSON body there too, never the server's HTML page
        router.route(Endpoints.MCP + "/*").order(10_000).handler(this::notFound);
    }

    /** Under the MCP path, as the client named it (MCP_PATH or /mcp): what is there to reach. */
    private void notFound(RoutingContext ctx) {
        String root = mcpPath;
        String path = ctx.normalizedPath();
        String asked = root.equals(Endpoints.MCP) || !path.startsWith(Endpoints.MCP) ? path : root + path.substring(Endpoints.MCP.length());
        Refusals.http(ctx, 404, "Nothing is served at " + ClientText.echo(asked) + ". The MCP endpoints are POST " + root
                + " (Streamable HTTP), GET " + Endpoints.LEGACY_SSE + " (legacy SSE), GET " + root + "/metadata and GET "
                + Endpoints.MANIFEST + ".");
    }

    /**
     * A form or multipart body is never a JSON-RPC message: refused before the body is read (the body handler would
     * parse it as form fields, and fail on a long one with a stack trace). An empty one is harmless, and some HTTP
     * clients label an empty POST as a form.
     */
    private static void jsonBodiesOnly(RoutingContext ctx) {
        if (FormBodies.announced(ctx.request())) {
            ctx.response().putHeader("Connection", "close");
            Refusals.http(ctx, 415, Refusals.INVALID_REQUEST, "Unsupported Content-Type: send one JSON-RPC message with "
                    + "Content-Type: application/json.");
            return;
        }
        ctx.next();
    }

    /** Session ids are the library's (base64url of a UUID): anything else names no session, and is not logged as one. */
    private static void knownSessionShape(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        if (id == null || !SESSION_ID.matcher(id).matches()) {
            Refusals.http(ctx, 404, "Unknown MCP session: connect to " + Endpoints.LEGACY_SSE + " again.");
            return;
        }
        ctx.next();
    }

    /** GET and DELETE of a session this replica does not know, and methods the endpoint has none for, with a body. */
    private void otherMethods(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if (method == HttpMethod.GET || method == HttpMethod.DELETE) {
            String session = ctx.request().getHeader(RequestHeader.SESSION_ID.wireName());
            if (session == null && method == HttpMethod.DELETE) {
                Refusals.http(ctx, 400, "DELETE ends a session: send its Mcp-Session-Id header.");
                return;
            }
            if (session != null) {
                session = librarySession(ctx, session);
                if (session == null) {
                    return;
                }
                if (method == HttpMethod.DELETE) {
                    // ended on every replica: the one holding it (if not this one) answers its next POST 404
                    sessionIds.end(session);
                    if (!sessions.known(session)) {
                        ctx.response().setStatusCode(200).end();
                        return;
                    }
                }
            }
            if (session != null && !sessions.known(session)) {
                Refusals.http(ctx, 404, "Unknown MCP session " + session + ": it ended, or lives on another replica that "
                        + "cannot stream to you here. Initialize a new session (or just POST your requests: sessions are optional).");
                return;
            }
            if (session == null) {
                Refusals.http(ctx, 405, "GET opens a stream of an existing session: send its Mcp-Session-Id header, or "
                        + "POST JSON-RPC messages instead.");
                return;
            }
        } else if (method != HttpMethod.POST && method != HttpMethod.OPTIONS) {
            ctx.response().putHeader("Allow", "GET, POST, DELETE");
            Refusals.http(ctx, 405, method + " is not supported here: POST JSON-RPC messages to this endpoint.");
            return;
        }
        ctx.next();
    }

    /**
     * The library's session behind the id a client presents, with the request's header set to it; null when no replica
     * of this deployment issued that id (answered 404).
     */
    private String librarySession(RoutingContext ctx, String presented) {
        java.util.Optional<SessionIds.Presented> session = sessionIds.library(presented);
        if (session.isEmpty()) {
            Refusals.http(ctx, 404, "Unknown MCP session: this server did not issue it. Initialize a new session (or "
                    + "just POST your requests: sessions are optional).");
            return null;
        }
        ctx.request().headers().set(RequestHeader.SESSION_ID.wireName(), session.get().librarySession());
        ctx.put(NEGOTIATED, session.get().negotiated());
        return session.get().librarySession();
    }

    private void gate(RoutingContext ctx, boolean legacySse) {
        String presented = legacySse ? null : ctx.request().getHeader(RequestHeader.SESSION_ID.wireName());
        if (presented == null) {
            checked(ctx, false, legacySse);
            return;
        }
        String session = librarySession(ctx, presented);
        if (session == null) {
            return;
        }
        sessionIds.ended(session).subscribe().with(ended -> {
            if (ended) {
                Refusals.http(ctx, 404, "The MCP session ended (DELETE). Initialize a new session (or just POST your "
                        + "requests: sessions are optional).");
            } else {
                checked(ctx, true, false);
            }
        });
    }

    private void checked(RoutingContext ctx, boolean inSession, boolean legacySse) {
        String version = legacySse ? null : ctx.request().getHeader("MCP-Protocol-Version");
        if (!legacySse) {
            acceptJson(ctx);
        }
        Buffer body = ctx.body().buffer();
        Object message;
        try {
            message = body == null || body.length() == 0 ? null : Json.decodeValue(body);
        } catch (DecodeException e) {
            LOG.debugf("Refused a body that is not JSON on %s", ctx.normalizedPath());
            Refusals.http(ctx, 400, Refusals.PARSE_ERROR, "Parse error: the body is not valid JSON; send one JSON-RPC message.");
            return;
        }
        if (message == null) {
            Refusals.http(ctx, 400, Refusals.INVALID_REQUEST, "Invalid Request: the body is empty; send a JSON-RPC message.");
            return;
        }
        if (message instanceof JsonArray batch) {
            if (version != null && !McpProtocol.VERSIONS.contains(version.trim())) {
                StatelessRequests.unsupported(ctx, null, version.trim());
                return;
            }
            batch(ctx, batch, legacySse);
            return;
        }
        if (!(message instanceof JsonObject object)) {
            Refusals.http(ctx, 400, Refusals.INVALID_REQUEST, "Invalid Request: a JSON-RPC message is a JSON object.");
            return;
        }
        boolean statelessEra = !legacySse && StatelessRequests.isStateless(version, object);
        // a method the stateless era removed is answered as missing, whatever its handshake-era parameters
        Problem problem = statelessEra && StatelessRequests.removed(object.getValue("method")) ? null : problem(object);
        if (problem != null) {
            Refusals.send(ctx, problem.status(), Refusals.error(problem.id(), problem.code(), problem.message()));
            return;
        }
        if (!oauth.allows(ctx, object)) {
            return;
        }
        if (statelessEra) {
            stateless.serve(ctx, object, Boolean.TRUE.equals(ctx.get(Endpoints.JSON_ONLY_REQUEST)));
            return;
        }
        if (version != null && !McpProtocol.VERSIONS.contains(version.trim())) {
            StatelessRequests.unsupported(ctx, object.getValue("id"), version.trim());
            return;
        }
        if (object.containsKey("id") && !object.containsKey("method") && !isInteger(object.getValue("id"))) {
            // a response to a request this server never sent (its own requests have integer ids): nothing awaits it
            accepted(ctx);
            return;
        }
        if (!object.containsKey("id") && object.containsKey("method")) {
            if (!notification(ctx, object, legacySse)) {
                return;
            }
        } else if ("initialize".equals(object.getString("method")) && !legacySse && !sessions.admit(ctx)) {
            return;
        }
        boolean changed = MessageFixes.apply(object);
        if (changed) {
            ctx.setBody(object.toBuffer());
        }
        ctx.put(Endpoints.CHECKED_MESSAGE, object);
        if (legacySse && object.containsKey("id") && !"initialize".equals(object.getValue("method"))) {
            legacy.adoptReconnected(ctx.pathParam("id"));
        }
        if (legacySse && !legacy.deliverHere(ctx)) {
            return;
        }
        ctx.next();
    }

    /** A client that does not take event streams gets plain JSON: the library needs both in Accept to answer at all. */
    @LibraryWorkaround(entry = 4)
    private static void acceptJson(RoutingContext ctx) {
        String accept = String.join(",", ctx.request().headers().getAll(HttpHeaders.ACCEPT));
        if (!accept.contains("text/event-stream")) {
            ctx.put(Endpoints.JSON_ONLY_REQUEST, Boolean.TRUE);
        }
        if (!accept.contains("text/event-stream") || !accept.contains("application/json")) {
            ctx.request().headers().set(HttpHeaders.ACCEPT, "application/json, text/event-stream");
        }
    }

    /** @return whether the notification goes on to the library (answered 202 either way) */
    private boolean notification(RoutingContext ctx, JsonObject notification, boolean legacySse) {
        String method = notification.getString("method");
        if (!method.startsWith("notifications/") && !method.equals("q/close")) {
            // a request sent without an id is a notification: nothing is done and nothing is answered
            accepted(ctx);
            return false;
        }
        String session = legacySse ? ctx.pathParam("id") : ctx.request().getHeader(RequestHeader.SESSION_ID.wireName());
        if (!legacySse && (session == null || !sessions.known(session))) {
            if ("notifications/cancelled".equals(method) && session != null) {
                // a session of another replica: its call runs there, and hears of the cancellation through the bus
                JsonObject params = notification.getJsonObject("params");
                cancellations.cancel(session, String.valueOf(params.getValue("requestId")));
            }
            // without a session of this replica, a notification has nothing to act on here
            accepted(ctx);
            return false;
        }
        if ("notifications/cancelled".equals(method)) {
            JsonObject params = notification.getJsonObject("params");
            Object requestId = params == null ? null : params.getValue("requestId");
            if (requestId != null && session != null) {
                cancellations.cancel(session, String.valueOf(requestId));
            }
        }
        return true;
    }

    private void batch(RoutingContext ctx, JsonArray batch, boolean legacySse) {
        // a session's requests follow the version it negotiated; the header speaks only for requests without one
        String version = ctx.request().getHeader("MCP-Protocol-Version");
        String negotiated = ctx.get(NEGOTIATED) instanceof String inSession ? inSession
                : version == null ? McpProtocol.ASSUMED : version.trim();
        if (!McpProtocol.WITH_BATCHES.contains(negotiated)) {
            Refusals.http(ctx, 400, Refusals.INVALID_REQUEST, "Invalid Request: JSON-RPC batches are not supported in "
                    + "protocol version " + negotiated + "; send one message per request.");
            return;
        }
        if (batch.isEmpty()) {
            Refusals.http(ctx, 400, Refusals.INVALID_REQUEST, "Invalid Request: the batch is empty.");
            return;
        }
        JsonArray errors = new JsonArray();
        for (int i = 0; i < batch.size(); i++) {
            Object element = batch.getValue(i);
            Problem problem = element instanceof JsonObject object ? problem(object)
                    : new Problem(null, Refusals.INVALID_REQUEST, "Invalid Request: batch element " + i
                            + " is not a JSON-RPC message (an object).", 400);
            if (problem == null && element instanceof JsonObject object && !object.containsKey("id")
                    && REQUEST_METHODS.contains(object.getString("method"))) {
                problem = new Problem(null, Refusals.INVALID_REQUEST, "Invalid Request: batch element " + i
                        + " is a request without an id.", 400);
            }
            if (problem == null && element instanceof JsonObject object && "initialize".equals(object.getValue("method"))) {
                problem = new Problem(object.getValue("id"), Refusals.INVALID_REQUEST, "Invalid Request: initialize must "
                        + "be sent alone, not in a batch (batch element " + i + ").", 400);
            }
            if (problem != null) {
                errors.add(Refusals.error(problem.id(), problem.code(), problem.message()));
            }
        }
        if (!errors.isEmpty()) {
            // nothing of the batch is run: its valid requests are answered too, so that the client knows
            for (int i = 0; i < batch.size(); i++) {
                if (batch.getValue(i) instanceof JsonObject object && object.containsKey("id") && problem(object) == null) {
                    errors.add(Refusals.error(object.getValue("id"), Refusals.INVALID_REQUEST,
                            "Not run: another message of the same batch is invalid; send the requests again."));
                }
            }
            Refusals.send(ctx, 400, errors);
            return;
        }
        boolean requests = false;
        for (int i = 0; i < batch.size(); i++) {
            requests |= batch.getJsonObject(i).containsKey("id") && batch.getJsonObject(i).containsKey("method");
        }
        if (!requests) {
            // notifications and responses only: nothing to answer (the library answers such a batch with an error)
            for (int i = 0; i < batch.size(); i++) {
                JsonObject message = batch.getJsonObject(i);
                if ("notifications/cancelled".equals(message.getValue("method"))) {
                    String session = ctx.request().getHeader(RequestHeader.SESSION_ID.wireName());
                    Object requestId = message.getJsonObject("params").getValue("requestId");
                    if (session != null) {
                        cancellations.cancel(session, String.valueOf(requestId));
                    }
                }
            }
            accepted(ctx);
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            if (!oauth.allows(ctx, batch.getJsonObject(i))) {
                return;
            }
        }
        if (legacySse) {
            ctx.next(); // the answers go to the session's event stream, one event each
        } else {
            batches.answer(ctx, batch, negotiated);
        }
    }

    /** What makes a message unanswerable by the library, or null when it may go on. */
    @LibraryWorkaround(entry = 1)
    private static Problem problem(JsonObject message) {
        Object rawId = message.getValue("id");
        boolean hasId = message.containsKey("id");
        if (hasId && !(rawId instanceof String) && !isInteger(rawId)) {
            return new Problem(null, Refusals.INVALID_REQUEST, "Invalid Request: 'id' must be a string or an integer.", 400);
        }
        if (rawId instanceof String text && text.length() > MAX_ID_LENGTH) {
            return new Problem(null, Refusals.INVALID_REQUEST, "Invalid Request: 'id' is longer than " + MAX_ID_LENGTH
                    + " characters.", 400);
        }
        Object id = hasId ? rawId : null;
        if (!"2.0".equals(message.getValue("jsonrpc"))) {
            return new Problem(id, Refusals.INVALID_REQUEST, "Invalid Request: 'jsonrpc' must be \"2.0\".", hasId ? 200 : 400);
        }
        Object method = message.getValue("method");
        if (method == null) {
            if (hasId && (message.containsKey("result") || message.containsKey("error"))) {
                return null; // a response to a request of the server (sampling, roots, elicitation)
            }
            return new Problem(id, Refusals.INVALID_REQUEST, "Invalid Request: 'method' is missing.", hasId ? 200 : 400);
        }
        if (!(method instanceof String name)) {
            return new Problem(id, Refusals.INVALID_REQUEST, "Invalid Request: 'method' must be a string.", hasId ? 200 : 400);
        }
        int status = hasId ? 200 : 400;
        Object params = message.getValue("params");
        if (message.containsKey("params") && !(params instanceof JsonObject)) {
            return new Problem(id, Refusals.INVALID_PARAMS, "Invalid params: 'params' must be a JSON object.", status);
        }
        JsonObject object = params instanceof JsonObject p ? p : new JsonObject();
        if (object.containsKey("_meta")) {
            if (!(object.getValue("_meta") instanceof JsonObject meta)) {
                return new Problem(id, Refusals.INVALID_PARAMS, "Invalid params: 'params._meta' must be a JSON object.", status);
            }
            Object token = meta.getValue("progressToken");
            if (meta.containsKey("progressToken") && !(token instanceof String) && !isInteger(token)) {
                return new Problem(id, Refusals.INVALID_PARAMS,
                        "Invalid params: 'params._meta.progressToken' must be a string or an integer.", status);
            }
        }
        switch (name) {
            case "tools/call", "prompts/get" -> {
                if (object.getValue("name") instanceof String text && text.length() > MAX_ID_LENGTH) {
                    return new Problem(id, Refusals.INVALID_PARAMS, "Invalid params: 'params.name' is longer than "
                            + MAX_ID_LENGTH + " characters: no " + (name.equals("tools/call") ? "tool" : "prompt")
                            + " has such a name.", status);
                }
                if (!(object.getValue("name") instanceof String)) {
                    return new Problem(id, Refusals.INVALID_PARAMS, "Invalid params: 'params.name' must be the name of a "
                            + (name.equals("tools/call") ? "tool, as listed by tools/list." : "prompt."), status);
                }
                if (object.containsKey("arguments") && !(object.getValue("arguments") instanceof JsonObject)) {
                    return new Problem(id, Refusals.INVALID_PARAMS, "Invalid params: 'params.arguments' must be a JSON "
                            + "object of the " + (name.equals("tools/call") ? "tool's" : "prompt's") + " arguments.", status);
                }
            }
            case "completion/complete" -> {
                // the library waits forever on a request without a reference or an argument
                boolean prompt = object.getValue("ref") instanceof JsonObject ref && "ref/prompt".equals(ref.getValue("type"))
                        && ref.getValue("name") instanceof String;
                boolean template = object.getValue("ref") instanceof JsonObject ref && "ref/resource".equals(ref.getValue("type"))
                        && ref.getValue("uri") instanceof String;
                if (!prompt && !template) {
                    return new Problem(id, Refusals.INVALID_PARAMS, "Invalid params: 'params.ref' must be {\"type\": "
                            + "\"ref/prompt\", \"name\": <prompt>} or {\"type\": \"ref/resource\", \"uri\": <URI template>}.", status);
                }
                if (!(object.getValue("argument") instanceof JsonObject argument) || !(argument.getValue("name") instanceof String)
                        || !(argument.getValue("value") instanceof String)) {
                    return new Problem(id, Refusals.INVALID_PARAMS, "Invalid params: 'params.argument' must be an object "
                            + "with the argument's name and the value typed so far (strings).", status);
                }
            }
            case "logging/setLevel" -> {
                Object level = object.getValue("level");
                if (!(level instanceof String text) || !LOG_LEVELS.contains(text.toLowerCase(java.util.Locale.ROOT))) {
                    return new Problem(id, Refusals.INVALID_PARAMS, "Invalid params: 'params.level' must be one of "
                            + String.join(", ", LOG_LEVELS) + ".", status);
                }
            }
            case "resources/read", "resources/subscribe", "resources/unsubscribe" -> {
                if (!(object.getValue("uri") instanceof String)) {
                    return new Problem(id, Refusals.INVALID_PARAMS, "Invalid params: 'params.uri' must be a string.", status);
                }
            }
            case "notifications/cancelled" -> {
                Object requestId = object.getValue("requestId");
                if (!(requestId instanceof String) && !isInteger(requestId)) {
                    return new Problem(id, Refusals.INVALID_PARAMS,
                            "Invalid params: 'params.requestId' must be the id of the request to cancel.", status);
                }
            }
            case "initialize" -> {
                // the library dereferences these without checking them
                if (!(object.getValue("protocolVersion") instanceof String)) {
                    return new Problem(id, Refusals.INVALID_PARAMS, "Invalid params: 'params.protocolVersion' must be a "
                            + "protocol version such as 2025-06-18.", status);
                }
                if (object.containsKey("capabilities") && !(object.getValue("capabilities") instanceof JsonObject)) {
                    return new Problem(id, Refusals.INVALID_PARAMS, "Invalid params: 'params.capabilities' must be a JSON "
                            + "object.", status);
                }
                if (!(object.getValue("clientInfo") instanceof JsonObject client)
                        || !(client.getValue("name") instanceof String) || !(client.getValue("version") instanceof String)) {
                    return new Problem(id, Refusals.INVALID_PARAMS, "Invalid params: 'params.clientInfo' must be an object "
                            + "with the client's name and version (strings).", status);
                }
            }
            default -> {
            }
        }
        return null;
    }

    private static boolean isInteger(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger) {
            return true;
        }
        if (value instanceof Number number) {
            double d = number.doubleValue();
            return d == Math.rint(d) && !Double.isInfinite(d);
        }
        return false;
    }

    private static void accepted(RoutingContext ctx) {
        ctx.response().setStatusCode(202).end();
    }

    /** Why a message is refused, with the id to answer (null when it had none or an invalid one). */
    private record Problem(Object id, int code, String message, int status) {
    }
}
