package dev.switchboard.edge;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.switchboard.config.Endpoints;
import dev.switchboard.config.McpProtocol;
import dev.switchboard.config.RequestHeader;
import dev.switchboard.lifecycle.Drain;
import dev.switchboard.observability.ClientText;
import dev.switchboard.workarounds.LibraryWorkaround;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The stateless protocol era (2026-07-28): no initialize and no session; every request names its protocol version,
 * client and capabilities in {@code _meta}, and any replica answers it.
 *
 * <p>The tools, prompts and resources are described once, in the MCP library that serves the handshake era. A
 * stateless request is checked here (its {@code _meta}, its version, its {@code Mcp-Method} and {@code Mcp-Name}
 * headers), and then relayed on loopback to this replica's own endpoint as a session-less request of the newest
 * handshake version, so that tenancy, idempotency, progress, the result budget and the envelope are exactly those of the
 * handshake era; its answer comes back with what the stateless era adds ({@code resultType}, and {@code ttlMs} with
 * {@code cacheScope} on lists). The relayed request carries this process's bridge token and the client's address, so
 * that it counts once against the client's budgets and throttles, as the client itself. What exists only in the
 * stateless era is answered here: {@code server/discover} (from what the library's initialize declares) and
 * {@code subscriptions/listen}.
 */
@LibraryWorkaround(entry = 8)
@Singleton
class StatelessRequests {

    private static final Logger LOG = Logger.getLogger(StatelessRequests.class);


    /** JSON-RPC errors of the stateless era. */
    static final int HEADER_MISMATCH = -32020;
    static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;
    static final int MISSING_CLIENT_CAPABILITY = -32021;

    /** Methods of the handshake era that the stateless era removed. */
    private static final Set<String> REMOVED = Set.of("initialize", "ping", "logging/setLevel", "resources/subscribe",
            "resources/unsubscribe");

    /** The methods of the tasks extension (its tasks/list and tasks/result were removed: they are not found). */
    private static final Set<String> TASK_METHODS = Set.of("tasks/get", "tasks/update", "tasks/cancel");

    /** Requests whose handler may ask the client for input (multi round-trip). */
    private static final Set<String> ASKING = Set.of("tools/call", "prompts/get");

    /** Results a client may cache (ttlMs and cacheScope). */
    private static final Set<String> CACHEABLE = Set.of("tools/list", "prompts/list", "resources/list",
            "resources/templates/list", "resources/read");

    /** The list-changed notifications a listen stream may ask for, by the capability that offers them. */
    private static final List<String[]> LIST_CHANGES = List.of(new String[] { "toolsListChanged", "tools" },
            new String[] { "promptsListChanged", "prompts" }, new String[] { "resourcesListChanged", "resources" });

    /** Headers of the handshake era that a stateless request relayed as a session-less one must not carry. */
    private static final Set<String> NOT_RELAYED = RequestHeader.lowerCase(RequestHeader.SESSION_ID,
            RequestHeader.PROTOCOL_VERSION, RequestHeader.METHOD, RequestHeader.NAME);

    private static final long KEEP_ALIVE_MILLIS = 15_000;

    private final Vertx vertx;
    private final Loopback loopback;
    private final Sessions sessions;
    private final Drain drain;
    /** What the library's initialize declares (capabilities, server info, instructions): fixed for the process. */
    private volatile Future<JsonObject> declared;

    private final RequestStates requestStates;

    /** How to end each open listen stream: all of them end when the replica drains. */
    private final Set<Runnable> listening = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Tasks tasks;
    private final TaskSupport taskSupport;

    StatelessRequests(Vertx vertx, Loopback loopback, Sessions sessions, Drain drain, RequestStates requestStates,
            Tasks tasks, TaskSupport taskSupport) {
        this.tasks = tasks;
        this.taskSupport = taskSupport;
        this.requestStates = requestStates;
        drain.whenDraining(() -> List.copyOf(listening).forEach(Runnable::run));
        this.vertx = vertx;
        this.loopback = loopback;
        this.sessions = sessions;
        this.drain = drain;
    }

    /** Whether a message is of the stateless era: its {@code _meta} names a protocol version, or its header does. */
    static boolean isStateless(String versionHeader, JsonObject message) {
        if (versionHeader != null && McpProtocol.STATELESS.contains(versionHeader.trim())) {
            return true;
        }
        return message.getValue("params") instanceof JsonObject params && params.getValue("_meta") instanceof JsonObject meta
                && meta.containsKey(McpProtocol.META_PROTOCOL_VERSION);
    }

    static boolean removed(Object method) {
        return method instanceof String name && REMOVED.contains(name);
    }

    /** The error for a protocol version this server does not speak, with the versions it does. */
    static void unsupported(RoutingContext ctx, Object id, String requested) {
        JsonObject error = Refusals.error(id, UNSUPPORTED_PROTOCOL_VERSION, "Unsupported protocol version "
                + ClientText.echo(requested) + "; this server speaks " + String.join(", ", McpProtocol.ALL) + ".");
        error.getJsonObject("error").put("data", new JsonObject().put("supported", new JsonArray(McpProtocol.ALL))
                .put("requested", ClientText.echo(requested)));
        Refusals.send(ctx, 400, error);
    }

    void serve(RoutingContext ctx, JsonObject message, boolean jsonOnly) {
        Object id = message.getValue("id");
        String method = message.getString("method");
        if (!message.containsKey("id")) {
            // a notification: the stateless era has none a server acts on (cancelling is closing the request's stream)
            ctx.response().setStatusCode(202).end();
            return;
        }
        if (method == null) {
            Refusals.send(ctx, 400, Refusals.error(id, Refusals.INVALID_REQUEST, "Invalid Request: in protocol version "
                    + McpProtocol.STATELESS.get(0) + " a server sends no requests, so a client sends no responses."));
            return;
        }
        JsonObject params = message.getValue("params") instanceof JsonObject p ? p : new JsonObject();
        JsonObject meta = params.getValue("_meta") instanceof JsonObject m ? m : null;
        String requested = meta == null ? null : meta.getValue(McpProtocol.META_PROTOCOL_VERSION) instanceof String v ? v : null;
        if (requested == null || !(meta.getValue(McpProtocol.META_CLIENT_CAPABILITIES) instanceof JsonObject)) {
            Refusals.send(ctx, 400, Refusals.error(id, Refusals.INVALID_PARAMS, "Invalid params: 'params._meta' must carry '"
                    + McpProtocol.META_PROTOCOL_VERSION + "' (a string such as " + McpProtocol.STATELESS.get(0) + ") and '"
                    + McpProtocol.META_CLIENT_CAPABILITIES + "' (an object): stateless requests describe their client "
                    + "each time."));
            return;
        }
        if (meta.containsKey(McpProtocol.META_CLIENT_INFO) && !(meta.getValue(McpProtocol.META_CLIENT_INFO) instanceof JsonObject)) {
            Refusals.send(ctx, 400, Refusals.error(id, Refusals.INVALID_PARAMS, "Invalid params: 'params._meta."
                    + McpProtocol.META_CLIENT_INFO + "' must be an object with the client's name and version."));
            return;
        }
        String mismatch = headerMismatch(ctx, requested, method, params);
        if (mismatch != null) {
            Refusals.send(ctx, 400, Refusals.error(id, HEADER_MISMATCH, "Header mismatch: " + mismatch));
            return;
        }
        if (!McpProtocol.STATELESS.contains(requested)) {
            unsupported(ctx, id, requested);
            return;
        }
        if (REMOVED.contains(method)) {
            Refusals.send(ctx, 404, Refusals.error(id, Refusals.METHOD_NOT_FOUND, "Method not found: " + method
                    + " does not exist in protocol version " + requested + " (stateless: no initialize, ping, "
                    + "logging/setLevel or resource subscriptions; use server/discover and subscriptions/listen)."));
            return;
        }
        if (TASK_METHODS.contains(method) && !Tasks.followed(meta)) {
            Refusals.send(ctx, 400, Tasks.notFollowed(id, method));
            return;
        }
        switch (method) {
            case "server/discover" -> discover(ctx, id);
            case "subscriptions/listen" -> listen(ctx, id, params);
            case "tasks/get" -> tasks.get(ctx, id, params);
            case "tasks/update" -> tasks.update(ctx, id, params, runner(ctx));
            case "tasks/cancel" -> tasks.cancel(ctx, id, params);
            default -> relay(ctx, id, method, message, jsonOnly);
        }
    }

    /** What the headers say that the body does not, or null when they agree. */
    private static String headerMismatch(RoutingContext ctx, String requested, String method, JsonObject params) {
        String version = ctx.request().getHeader(RequestHeader.PROTOCOL_VERSION.wireName());
        if (version == null || !version.trim().equals(requested)) {
            return "the MCP-Protocol-Version header (" + (version == null ? "absent" : ClientText.echo(version))
                    + ") must equal params._meta." + McpProtocol.META_PROTOCOL_VERSION + " (" + ClientText.echo(requested) + ").";
        }
        String namedMethod = ctx.request().getHeader(RequestHeader.METHOD.wireName());
        if (namedMethod != null && !namedMethod.trim().equals(method)) {
            return "the Mcp-Method header (" + ClientText.echo(namedMethod) + ") must equal the body's method ("
                    + ClientText.echo(method) + ").";
        }
        String namedName = ctx.request().getHeader(RequestHeader.NAME.wireName());
        String nameField = "resources/read".equals(method) ? "uri" : TASK_METHODS.contains(method) ? "taskId" : "name";
        if (namedName != null && params.getValue(nameField) instanceof String name && !namedName.trim().equals(name)) {
            return "the Mcp-Name header (" + ClientText.echo(namedName) + ") must equal the body's params." + nameField
                    + " (" + ClientText.echo(name) + ").";
        }
        return null;
    }

    private void discover(RoutingContext ctx, Object id) {
        declared(ctx).onComplete(done -> {
            if (done.failed()) {
                LOG.debugf("server/discover: the library's declaration failed: %s", done.cause().getMessage());
                Refusals.send(ctx, 503, Refusals.error(id, -32603, "The server is starting or stopping; retry in a moment."));
                return;
            }
            JsonObject init = done.result();
            JsonObject serverInfo = init.getJsonObject("serverInfo", new JsonObject());
            JsonObject result = new JsonObject()
                    .put("supportedVersions", new JsonArray(McpProtocol.ALL))
                    .put("capabilities", init.getJsonObject("capabilities", new JsonObject()).copy()
                            .put("extensions", new JsonObject().put(McpProtocol.TASKS_EXTENSION, new JsonObject())))
                    .put("serverInfo", serverInfo)
                    .put("_meta", new JsonObject().put(McpProtocol.META_SERVER_INFO, serverInfo))
                    .put("resultType", "complete")
                    .put("ttlMs", McpProtocol.LIST_TTL_MILLIS)
                    .put("cacheScope", "public");
            if (init.getValue("instructions") instanceof String instructions) {
                result.put("instructions", instructions);
            }
            answer(ctx, 200, new JsonObject().put("jsonrpc", "2.0").put("id", id).put("result", result));
        });
    }

    /**
     * A stream for list-changed notifications. The lists change only with a redeployment, so the stream carries its
     * acknowledgement and keep-alives until the client closes it or the replica drains.
     */
    private void listen(RoutingContext ctx, Object id, JsonObject params) {
        if (drain.draining()) {
            Refusals.send(ctx, 503, Refusals.error(id, Refusals.SERVER_LIMIT, "This replica is shutting down; listen again "
                    + "(another replica answers)."));
            return;
        }
        declared(ctx).onComplete(done -> {
            JsonObject capabilities = done.succeeded() ? done.result().getJsonObject("capabilities", new JsonObject())
                    : new JsonObject();
            JsonObject asked = params.getValue("notifications") instanceof JsonObject n ? n : new JsonObject();
            JsonObject acknowledged = new JsonObject();
            for (String[] change : LIST_CHANGES) {
                if (Boolean.TRUE.equals(asked.getValue(change[0])) && capabilities.containsKey(change[1])) {
                    acknowledged.put(change[0], true);
                }
            }
            String tag = "listen-" + UUID.randomUUID();
            if (!sessions.admitStream(ctx, tag)) {
                return;
            }
            HttpServerResponse response = ctx.response().setChunked(true).setStatusCode(200)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream").putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
            JsonObject ack = new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/subscriptions/acknowledged")
                    .put("params", new JsonObject().put("notifications", acknowledged)
                            .put("_meta", new JsonObject().put(McpProtocol.META_SUBSCRIPTION_ID, id)));
            response.write(event(ack));
            long timer = vertx.setPeriodic(KEEP_ALIVE_MILLIS, ignored -> {
                if (!response.ended() && !response.closed()) {
                    response.write(": keep-alive\n\n");
                }
            });
            Runnable[] end = new Runnable[1];
            end[0] = () -> {
                listening.remove(end[0]);
                vertx.cancelTimer(timer);
                sessions.streamEnded(tag);
                if (!response.ended() && !response.closed()) {
                    response.end();
                }
            };
            listening.add(end[0]);
            response.closeHandler(ignored -> end[0].run());
        });
    }

    /** Relays a request to this replica's own endpoint as a session-less request of the newest handshake version. */
    private void relay(RoutingContext ctx, Object id, String method, JsonObject message, boolean jsonOnly) {
        JsonObject forwarded = message.copy();
        JsonObject params = forwarded.getJsonObject("params");
        JsonObject meta = params.getJsonObject("_meta");
        if (ASKING.contains(method)) {
            // a retry with the client's answers: they, the verified state and the client's capabilities ride in _meta
            JsonObject input = new JsonObject().put("clientCapabilities", meta.getValue(McpProtocol.META_CLIENT_CAPABILITIES))
                    .put("logLevel", meta.getValue(McpProtocol.META_LOG_LEVEL))
                    .put("responses", params.remove("inputResponses") instanceof JsonObject responses ? responses : new JsonObject());
            Object presented = params.remove("requestState");
            if (presented != null) {
                java.util.Optional<JsonObject> state = requestStates.open(presented, ctx);
                if (state.isEmpty()) {
                    Refusals.send(ctx, 200, Refusals.error(id, Refusals.INVALID_PARAMS, "Invalid params: 'params.requestState' "
                            + "is not one this server issued to this caller, or it expired: send the request again without "
                            + "requestState and inputResponses."));
                    return;
                }
                input.put("state", state.get());
            }
            meta.put(McpProtocol.META_INPUT, input);
        }
        java.util.Optional<TaskSupport.Mode> taskMode = "tools/call".equals(method) && params.getValue("name") instanceof String tool
                ? taskSupport.of(tool) : java.util.Optional.empty();
        boolean taskOffered = taskMode.isPresent() && Tasks.followed(meta);
        if (taskMode.orElse(null) == TaskSupport.Mode.REQUIRED && !taskOffered) {
            Refusals.send(ctx, 400, Tasks.notFollowed(id, "the tool " + ClientText.echo(params.getString("name"))));
            return;
        }
        if (taskOffered) {
            // the tool may answer that it runs as a task: then the call is made again, in the task
            meta.getJsonObject(McpProtocol.META_INPUT).put("task", "offered");
        }
        meta.remove(McpProtocol.META_PROTOCOL_VERSION);
        meta.remove(McpProtocol.META_CLIENT_INFO);
        meta.remove(McpProtocol.META_CLIENT_CAPABILITIES);
        meta.remove(McpProtocol.META_LOG_LEVEL);
        if (meta.isEmpty()) {
            params.remove("_meta");
        }
        // an event stream only when something can ride it (progress, or log messages the request asked for); otherwise one
        // JSON answer, whose HTTP status can still say what its error means
        boolean streams = !jsonOnly && !taskOffered && (meta.containsKey("progressToken") || message.getJsonObject("params")
                .getJsonObject("_meta").containsKey(McpProtocol.META_LOG_LEVEL));
        RequestOptions request = relayed(ctx, streams, message);
        loopback.client().request(request).compose(relayed -> {
            ctx.response().closeHandler(ignored -> relayed.reset());
            return relayed.send(forwarded.toBuffer());
        }).onComplete(sent -> {
            if (sent.failed()) {
                LOG.debugf("A stateless %s could not be relayed: %s", method, sent.cause().getMessage());
                Refusals.send(ctx, 503, Refusals.error(id, -32603, "The request could not be served; retry it."));
                return;
            }
            HttpClientResponse answer = sent.result();
            String type = answer.getHeader(HttpHeaders.CONTENT_TYPE);
            if (type != null && type.startsWith("text/event-stream")) {
                stream(ctx, answer, id, method);
            } else {
                answer.body().onComplete(body -> {
                    if (body.failed()) {
                        Refusals.send(ctx, 503, Refusals.error(id, -32603, "The answer broke off; retry the request."));
                        return;
                    }
                    answerJson(ctx, answer, body.result(), id, method, taskOffered ? forwarded : null);
                });
            }
        });
    }

    /** The loopback request a stateless request becomes: the client's headers, and what the relay adds. */
    private RequestOptions relayed(RoutingContext ctx, boolean streams, JsonObject message) {
        RequestOptions request = loopback.onBehalf(ctx, streams, NOT_RELAYED);
        request.getHeaders().set(RequestHeader.PROTOCOL_VERSION.wireName(), McpProtocol.VERSIONS.get(0));
        // a stateless request may name its trace in _meta (no header): the relayed request continues it
        if (ctx.request().getHeader(TRACEPARENT) == null && message != null
                && message.getValue("params") instanceof JsonObject params
                && params.getValue("_meta") instanceof JsonObject meta && meta.getValue(TRACEPARENT) instanceof String parent
                && TRACE_PARENT.matcher(parent).matches()) {
            request.getHeaders().set(TRACEPARENT, parent);
            if (meta.getValue("tracestate") instanceof String state && state.length() <= 512) {
                request.getHeaders().set("tracestate", state);
            }
        }
        return request;
    }

    /** W3C trace context: version, trace id, parent id, flags. */
    private static final String TRACEPARENT = "traceparent";
    private static final java.util.regex.Pattern TRACE_PARENT = java.util.regex.Pattern.compile(
            "[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    /** Runs a task's call as this request's caller, with its headers, on this replica, one JSON answer. */
    private Tasks.Runner runner(RoutingContext ctx) {
        RequestOptions template = relayed(ctx, false, null);
        return call -> loopback.client().request(new RequestOptions(template)).compose(relayed -> relayed.send(call.toBuffer()))
                .compose(HttpClientResponse::body).map(JsonObject::new);
    }

    /** @param taskCall the call as relayed when it was offered to run as a task, else null */
    private void answerJson(RoutingContext ctx, HttpClientResponse answer, Buffer body, Object id, String method,
            JsonObject taskCall) {
        if (body.length() == 0) {
            ctx.response().setStatusCode(answer.statusCode()).end();
            return;
        }
        Buffer completed = "tools/call".equals(method) ? CompletedResult.of(body, id) : null;
        if (completed != null) {
            if (!ctx.response().ended()) {
                ctx.response().setStatusCode(answer.statusCode()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end(completed);
            }
            return;
        }
        Object decoded;
        try {
            decoded = io.vertx.core.json.Json.decodeValue(body);
        } catch (RuntimeException notJson) {
            ctx.response().setStatusCode(answer.statusCode());
            copyHeaders(answer, ctx.response());
            ctx.response().end(body);
            return;
        }
        int status = answer.statusCode();
        if (taskCall != null && decoded instanceof JsonObject reply && reply.getValue("result") instanceof JsonObject result
                && result.getValue("_meta") instanceof JsonObject meta && Boolean.TRUE.equals(meta.getValue(McpProtocol.META_RUN_AS_TASK))) {
            tasks.create(ctx, id, taskCall, runner(ctx));
            return;
        }
        if (decoded instanceof JsonObject reply) {
            complete(ctx, reply, id, method);
            if (reply.getValue("error") instanceof JsonObject error) {
                Object code = error.getValue("code");
                status = Integer.valueOf(Refusals.METHOD_NOT_FOUND).equals(code) ? 404
                        : Integer.valueOf(MISSING_CLIENT_CAPABILITY).equals(code) ? 400 : status;
            }
            answer(ctx, status, reply);
            return;
        }
        ctx.response().setStatusCode(status);
        copyHeaders(answer, ctx.response());
        ctx.response().end(body);
    }

    /** Passes an event stream on, event by event, completing the answer to the request when it comes. */
    private void stream(RoutingContext ctx, HttpClientResponse answer, Object id, String method) {
        HttpServerResponse response = ctx.response().setChunked(true).setStatusCode(answer.statusCode());
        copyHeaders(answer, response);
        StringBuilder pending = new StringBuilder();
        answer.handler(chunk -> {
            pending.append(chunk.toString(java.nio.charset.StandardCharsets.UTF_8).replace("\r\n", "\n"));
            int end;
            while ((end = pending.indexOf("\n\n")) >= 0) {
                String block = pending.substring(0, end);
                pending.delete(0, end + 2);
                if (!response.ended() && !response.closed()) {
                    response.write(passOn(ctx, block, id, method));
                }
            }
        });
        answer.endHandler(ignored -> {
            if (!pending.isEmpty() && !response.ended() && !response.closed()) {
                response.write(passOn(ctx, pending.toString(), id, method));
            }
            if (!response.ended()) {
                response.end();
            }
        });
        answer.exceptionHandler(failure -> {
            if (!response.ended()) {
                response.end();
            }
        });
    }

    private String passOn(RoutingContext ctx, String block, Object id, String method) {
        StringBuilder data = new StringBuilder();
        for (String line : block.split("\n")) {
            if (line.startsWith("data:")) {
                data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
            }
        }
        if (data.isEmpty()) {
            return block + "\n\n";
        }
        try {
            JsonObject message = new JsonObject(data.toString());
            complete(ctx, message, id, method);
            return event(message);
        } catch (RuntimeException notJson) {
            return block + "\n\n";
        }
    }

    /** Adds what a stateless result carries to the answer of this request (and leaves every other message alone). */
    private void complete(RoutingContext ctx, JsonObject message, Object id, String method) {
        if (!(message.getValue("result") instanceof JsonObject result) || !java.util.Objects.equals(String.valueOf(id),
                String.valueOf(message.getValue("id")))) {
            return;
        }
        if (ASKING.contains(method) && result.getValue("_meta") instanceof JsonObject meta
                && meta.getValue(McpProtocol.META_REQUIRED_CAPABILITIES) instanceof JsonObject required) {
            message.remove("result");
            message.put("error", new JsonObject().put("code", MISSING_CLIENT_CAPABILITY).put("message",
                    "Missing required client capability: declare " + String.join(", ", required.fieldNames())
                            + " in params._meta." + McpProtocol.META_CLIENT_CAPABILITIES + " to call this.")
                    .put("data", new JsonObject().put("requiredCapabilities", required)));
            return;
        }
        if ("prompts/get".equals(method) && result.getValue("description") instanceof String description
                && description.startsWith(McpProtocol.PROMPT_INPUT_REQUIRED)) {
            JsonObject meta = result.getValue("_meta") instanceof JsonObject m ? m : new JsonObject();
            result.put("_meta", meta.put(McpProtocol.META_INPUT_REQUIRED,
                    new JsonObject(description.substring(McpProtocol.PROMPT_INPUT_REQUIRED.length()))));
        }
        if (ASKING.contains(method) && result.getValue("_meta") instanceof JsonObject meta
                && meta.getValue(McpProtocol.META_INPUT_REQUIRED) instanceof JsonObject asked) {
            JsonObject state = asked.getValue("state") instanceof JsonObject s ? s : new JsonObject();
            message.put("result", new JsonObject().put("resultType", "input_required")
                    .put("inputRequests", asked.getJsonObject("inputRequests", new JsonObject()))
                    .put("requestState", requestStates.seal(state, ctx)));
            return;
        }
        if (!result.containsKey("resultType")) {
            result.put("resultType", "complete");
        }
        if (CACHEABLE.contains(method)) {
            result.put("ttlMs", McpProtocol.LIST_TTL_MILLIS);
            // what a key may call or read can differ from another key's: no cache shared across callers
            result.put("cacheScope", "private");
        }
    }

    private static String event(JsonObject message) {
        return "event: message\ndata: " + message.encode() + "\n\n";
    }

    private static void answer(RoutingContext ctx, int status, JsonObject reply) {
        if (!ctx.response().ended()) {
            ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(reply.encode());
        }
    }

    private static void copyHeaders(HttpClientResponse from, HttpServerResponse to) {
        from.headers().forEach(header -> {
            String name = header.getKey().toLowerCase();
            if (!name.equals("content-length") && !name.equals("transfer-encoding") && !name.equals("connection")
                    && !name.equalsIgnoreCase(RequestHeader.SESSION_ID.wireName())) {
                to.headers().add(header.getKey(), header.getValue());
            }
        });
    }

    /**
     * What the library's initialize declares, asked once on loopback (its session ended at once): the one description
     * of the server's capabilities, which server/discover repeats.
     */
    private Future<JsonObject> declared(RoutingContext ctx) {
        Future<JsonObject> known = declared;
        if (known != null && !known.failed()) {
            return known;
        }
        JsonObject initialize = new JsonObject().put("jsonrpc", "2.0").put("id", "discover").put("method", "initialize")
                .put("params", new JsonObject().put("protocolVersion", McpProtocol.VERSIONS.get(0))
                        .put("capabilities", new JsonObject())
                        .put("clientInfo", new JsonObject().put("name", "server-discover").put("version", "1")));
        RequestOptions request = loopback.own(ctx, HttpMethod.POST).putHeader(HttpHeaders.ACCEPT, "application/json");
        Future<JsonObject> asked = loopback.client().request(request).compose(relayed -> relayed.send(initialize.toBuffer()))
                .compose(answer -> answer.body().map(body -> {
                    String session = answer.getHeader(RequestHeader.SESSION_ID.wireName());
                    if (session != null) {
                        RequestOptions end = loopback.own(ctx, HttpMethod.DELETE)
                                .putHeader(RequestHeader.SESSION_ID.wireName(), session);
                        loopback.client().request(end).compose(deleting -> deleting.send()).onFailure(ignored -> {
                        });
                    }
                    JsonObject reply = new JsonObject(body);
                    if (!(reply.getValue("result") instanceof JsonObject result)) {
                        throw new IllegalStateException("initialize answered " + reply.getValue("error"));
                    }
                    return result;
                }));
        declared = asked;
        return asked;
    }
}
