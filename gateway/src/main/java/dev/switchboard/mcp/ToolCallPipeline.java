package dev.switchboard.mcp;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.event.Event;
import jakarta.inject.Singleton;

import dev.switchboard.catalog.Operation;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import dev.switchboard.catalog.OperationCatalog;
import dev.switchboard.config.Endpoints;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.RequestHeader;
import dev.switchboard.edge.Listeners;
import dev.switchboard.observability.AuditTrail;
import dev.switchboard.observability.CallLog;
import dev.switchboard.observability.ClientText;
import dev.switchboard.observability.GatewayMetrics;
import dev.switchboard.tenancy.AccessLost;
import dev.switchboard.observability.ToolOutcome;
import dev.switchboard.tenancy.Admission;
import dev.switchboard.tenancy.Caller;
import dev.switchboard.tenancy.Credentials;
import dev.switchboard.tenancy.Identity;
import dev.switchboard.tenancy.StateStore;
import dev.switchboard.tenancy.TenancyException;
import io.quarkiverse.mcp.server.ToolManager.ToolArguments;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The one way a tool call flows: the caller's context (headers, or the stdio settings) → admission (key, rate limit,
 * organization, an answer kept for a retry of this very request) → the tool's body → the organization envelope →
 * metrics and the log line. An answer whose client has gone is kept for its retry ({@link UndeliveredAnswers}). Values go forward only: the
 * context is immutable, failures carry what their message needs, and the error mapping is a pure function of them.
 */
@Singleton
class ToolCallPipeline {

    private final Admission admission;
    private final ToolErrors errors;
    private final GatewayMetrics metrics;
    private final CallLog log;
    private final CurrentVertxRequest currentRequest;
    private final Event<AccessLost> accessLost;
    private final Credentials.Source credentialSource;
    private final UndeliveredAnswers undelivered;
    private final Listeners listeners;
    private final Envelope envelope;
    private final AuditTrail audit;
    private final Tracer tracer;
    private final dev.switchboard.tenancy.Principals principals;
    private final OperationCatalog catalog;
    private final GatewayConfig config;
    /** The header that also carries the API key (x-<prefix>-key), when the operator set a tool prefix. */
    private final Optional<String> keyHeader;
    /** Headers a client may send its key in for another server: x-api-key, x-<name>-key. */
    private static final java.util.regex.Pattern KEY_HEADER = java.util.regex.Pattern.compile("(?i)x-(?!idempotency)[a-z0-9-]*key");

    ToolCallPipeline(Admission admission, ToolErrors errors, GatewayMetrics metrics, CallLog log,
            CurrentVertxRequest currentRequest, Event<AccessLost> accessLost, GatewayConfig config,
            UndeliveredAnswers undelivered, Listeners listeners, Envelope envelope, AuditTrail audit,
            dev.switchboard.tenancy.Principals principals, OperationCatalog catalog, Tracer tracer) {
        this.tracer = tracer;
        this.audit = audit;
        this.principals = principals;
        this.catalog = catalog;
        this.config = config;
        this.envelope = envelope;
        this.keyHeader = RequestHeader.keyHeader(config);
        this.admission = admission;
        this.undelivered = undelivered;
        this.listeners = listeners;
        this.errors = errors;
        this.metrics = metrics;
        this.log = log;
        this.currentRequest = currentRequest;
        this.accessLost = accessLost;
        // over stdio every request comes from the bridge, which sends the MCP_* settings as headers
        this.credentialSource = config.transport() == GatewayConfig.Transport.STDIO ? Credentials.Source.STDIO_SETTINGS
                : Credentials.Source.HTTP_HEADERS;
    }

    Uni<ToolResponse> call(ToolSpec tool, ToolArguments arguments) {
        return call(tool, arguments.requestId() == null ? "-" : arguments.requestId().asString(), arguments.args(), arguments);
    }

    /**
     * A read made for a resource or a completion rather than a tool call: the same admission, organization and answer,
     * with no progress or log to send.
     */
    Uni<ToolResponse> read(ToolSpec tool, String requestId, Map<String, Object> args) {
        return call(tool, requestId, args, null);
    }

    private Uni<ToolResponse> call(ToolSpec tool, String requestId, Map<String, Object> args, ToolArguments arguments) {
        // one span for the call (a child of the request's, so of the client's traceparent): tool, organization, outcome
        Span span = tracer.spanBuilder((arguments == null ? "resources/read " : "tools/call ") + tool.name())
                .setParent(traceParent()).setAttribute("mcp.tool.name", tool.name()).startSpan();
        Scope current = span.makeCurrent();
        try {
            return traced(tool, requestId, args, arguments, span).onTermination().invoke(span::end);
        } finally {
            current.close();
        }
    }

    /**
     * The trace the call belongs to: the current one, else the client's traceparent (the MCP endpoint's requests get no
     * server span of their own; a stateless request's _meta traceparent arrives here as the relayed request's header).
     */
    private io.opentelemetry.context.Context traceParent() {
        io.opentelemetry.context.Context current = io.opentelemetry.context.Context.current();
        RoutingContext http = currentRequest.getCurrent();
        if (Span.fromContext(current).getSpanContext().isValid() || http == null) {
            return current;
        }
        return io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator.getInstance().extract(current,
                http.request(), HEADERS);
    }

    private static final io.opentelemetry.context.propagation.TextMapGetter<HttpServerRequest> HEADERS =
            new io.opentelemetry.context.propagation.TextMapGetter<>() {
                @Override
                public Iterable<String> keys(HttpServerRequest request) {
                    return request.headers().names();
                }

                @Override
                public String get(HttpServerRequest request, String key) {
                    return request == null ? null : request.getHeader(key);
                }
            };

    private Uni<ToolResponse> traced(ToolSpec tool, String requestId, Map<String, Object> args, ToolArguments arguments,
            Span span) {
        CallContext context = context(tool.name(), requestId);
        if (context.unreadKeyHeader().isPresent()) {
            return Uni.createFrom().<Answer> item(errors.answer(new TenancyException(
                    TenancyException.Reason.AUTHENTICATION_REQUIRED, "Authentication required: this server does not read "
                            + "the header " + ClientText.echo(context.unreadKeyHeader().get()) + ". Send the API key as "
                            + "Authorization: Bearer <API key>" + keyHeader.map(h -> " (or " + h + ": <API key>)").orElse("")
                            + " with every tool call."), context))
                    .invoke(answer -> record(context, tool, answer, args, span)).flatMap(ToolCallPipeline::emit);
        }
        // a call that may write reads, in the same round trip, an answer kept for a retry of the same request
        Optional<StateStore.Field> retrySlot = tool.annotations().readOnlyHint() ? Optional.empty() : context.retrySlot();
        return admission.admit(context.credentials(), retrySlot, tool.freshIdentity())
                .flatMap(caller -> undelivered.replay(caller, context, retrySlot, args)
                        .map(kept -> Uni.createFrom().item(kept))
                        .orElseGet(() -> Uni.createFrom().deferred(() -> {
                            if (tool.needsOrganization()) {
                                caller.active(); // fails, saying why, when no organization can be vouched for
                            }
                            return tool.body().run(new ToolCall(context, caller, args, arguments));
                        })
                                .map(reply -> success(caller, reply))
                                .onFailure().recoverWithItem(failure -> errors.answer(new Failures.OfCaller(failure, caller), context))
                                .invoke(answer -> undelivered.keepIfUndelivered(caller, context, retrySlot, args,
                                        answer))))
                .onFailure().recoverWithItem(failure -> errors.answer(failure, context))
                .invoke(answer -> record(context, tool, answer, args, span))
                .flatMap(ToolCallPipeline::emit);
    }

    private Answer success(Caller caller, Reply reply) {
        Optional<Identity.OrganizationRef> organization = reply.actingOn().or(caller::organizationIfKnown);
        return new Answer.Result(envelope.success(organization, reply), ToolOutcome.OK,
                organization.map(Identity.OrganizationRef::id).orElse("-"));
    }

    private void record(CallContext context, ToolSpec tool, Answer answer, Map<String, Object> args, Span span) {
        if (answer instanceof Answer.ProtocolError protocol) {
            protocol.accessLost().ifPresent(accessLost::fire);
        }
        Duration duration = Duration.ofNanos(System.nanoTime() - context.startedNanos());
        span.setAttribute("mcp.organization", String.valueOf(answer.organizationId()))
                .setAttribute("mcp.outcome", answer.outcome().label());
        String operation = tool.operation().map(Operation::name)
                .or(() -> Optional.ofNullable(args.get("operation")).map(String::valueOf)).orElse("-");
        try (Scope traced = span.makeCurrent()) {
            // with tracing on, the line's MDC (fields of the JSON logs) carries the trace ids
            metrics.toolCall(context.tool(), answer.outcome(), duration);
            log.record(context.requestId(), context.tool(), tool.operation().map(Operation::name).orElse("-"),
                    answer.organizationId(), answer.outcome(), duration);
        }
        if (writes(tool, operation) && context.credentials().apiKey().isPresent()) {
            audit.write(principals.who(context.credentials(), config.oauthIssuer()), answer.organizationId(), context.tool(),
                    operation, Optional.ofNullable(args.get(Operation.IDEMPOTENCY_KEY_ARGUMENT)).map(String::valueOf),
                    answer.outcome());
        }
    }

    /** A call that may change the workspace: a tool that is not read-only, or run_operation of an operation that is not. */
    private boolean writes(ToolSpec tool, String operation) {
        if (tool.operation().isPresent()) {
            return !tool.annotations().readOnlyHint();
        }
        return catalog.find(operation).map(op -> !op.readOnly()).orElse(false);
    }

    private static Uni<ToolResponse> emit(Answer answer) {
        if (answer instanceof Answer.Result result) {
            return Uni.createFrom().item(result.response());
        }
        if (answer instanceof Answer.ProtocolError protocol) {
            return Uni.createFrom().failure(protocol.error());
        }
        return Uni.createFrom().failure(((Answer.Cancelled) answer).cancellation());
    }

    /** Read while the HTTP request is current: at the very start of the call, before anything asynchronous. */
    private CallContext context(String tool, String requestId) {
        RoutingContext http = currentRequest.getCurrent();
        if (http == null) {
            return new CallContext(tool, requestId, Credentials.none(credentialSource), true,
                    Optional.empty(), System.nanoTime(), () -> true, Optional.empty());
        }
        HttpServerRequest request = http.request();
        String session = request.getHeader(RequestHeader.SESSION_ID.wireName());
        if (session == null) {
            session = http.pathParam("id"); // legacy SSE: /mcp/messages/{id}
        }
        String authorization = request.getHeader(RequestHeader.AUTHORIZATION.wireName());
        Optional<String> unreadKeyHeader = Optional.empty();
        if (authorization == null) {
            // the inbox reference's clients send their key in x-<product>-key: read it where this server names one
            String key = keyHeader.map(request::getHeader).orElse(null);
            if (key != null && !key.isBlank()) {
                authorization = "Bearer " + key.trim();
            } else {
                unreadKeyHeader = request.headers().names().stream().filter(name -> KEY_HEADER.matcher(name).matches())
                        .findFirst();
            }
        }
        String bearer = authorization;
        Credentials credentials = Credentials.from(name -> name.equals(RequestHeader.AUTHORIZATION.wireName()) ? bearer
                : request.getHeader(name), credentialSource,
                dev.switchboard.edge.Clients.address(http)); // a relayed stateless request counts as its client
        return new CallContext(tool, requestId, credentials, !Boolean.TRUE.equals(http.get(Endpoints.JSON_ONLY_REQUEST)),
                Optional.ofNullable(session), System.nanoTime(), listeners.of(http), unreadKeyHeader);
    }
}
