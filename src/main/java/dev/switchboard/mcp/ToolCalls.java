package dev.switchboard.mcp;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import dev.switchboard.observability.GatewayMetrics;
import dev.switchboard.observability.ToolOutcome;
import dev.switchboard.tenancy.CallerHeaders;
import dev.switchboard.tenancy.Tenancy;
import io.quarkiverse.mcp.server.ToolManager.ToolArguments;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * What every tool call goes through: read the caller's headers, admit the caller (key, rate limit, organization),
 * run the tool, wrap the answer in the organization envelope, map failures, then count and log the call once.
 */
@ApplicationScoped
class ToolCalls {

    private static final Logger CALL_LOG = Logger.getLogger("switchboard.tool-calls");

    /** The tool itself, given the admitted caller. */
    @FunctionalInterface
    interface Body {
        Uni<Reply> run(Tenancy.Caller caller, Progress progress);
    }

    /** Lets a tool say which operation it is attempting, so that a failure can say so too. */
    static final class Progress {
        private volatile OperationRunner.Attempt attempt;

        void attempting(OperationRunner.Attempt attempt) {
            this.attempt = attempt;
        }

        Optional<OperationRunner.Attempt> attempt() {
            return Optional.ofNullable(attempt);
        }
    }

    private final Tenancy tenancy;
    private final ToolErrors errors;
    private final GatewayMetrics metrics;
    private final CurrentVertxRequest currentRequest;

    ToolCalls(Tenancy tenancy, ToolErrors errors, GatewayMetrics metrics, CurrentVertxRequest currentRequest) {
        this.tenancy = tenancy;
        this.errors = errors;
        this.metrics = metrics;
        this.currentRequest = currentRequest;
    }

    Uni<ToolResponse> call(String tool, ToolArguments arguments, Body body) {
        CallerHeaders headers = headers();
        String requestId = arguments.requestId() == null ? "-" : arguments.requestId().asString();
        long started = System.nanoTime();
        AtomicReference<Tenancy.Caller> admitted = new AtomicReference<>();
        Progress progress = new Progress();
        return tenancy.admit(headers)
                .invoke(admitted::set)
                .flatMap(caller -> body.run(caller, progress))
                .map(reply -> {
                    var organization = reply.actingOn().orElse(admitted.get().organization());
                    return new ToolErrors.Handled(Envelope.success(organization, Envelope.body(organization, reply)), null,
                            null, ToolOutcome.OK);
                })
                .onFailure().recoverWithUni(failure -> errors.handle(failure, admitted.get(), progress.attempt(), requestId))
                .invoke(handled -> record(tool, handled.outcome(), admitted.get(), progress, requestId, started))
                .flatMap(handled -> {
                    if (handled.response() != null) {
                        return Uni.createFrom().item(handled.response());
                    }
                    return Uni.createFrom().failure(handled.protocolError() != null ? handled.protocolError() : handled.passThrough());
                });
    }

    /** The headers of the current HTTP request; read before any asynchronous step, while the request is current. */
    private CallerHeaders headers() {
        RoutingContext context = currentRequest.getCurrent();
        if (context == null) {
            return CallerHeaders.of(null, null, null, null);
        }
        HttpServerRequest request = context.request();
        return CallerHeaders.of(request.getHeader("Authorization"), request.getHeader("X-Company-ID"),
                request.getHeader("X-Agency-ID"), request.getHeader("x-account-id"));
    }

    private void record(String tool, ToolOutcome outcome, Tenancy.Caller caller, Progress progress, String requestId,
            long started) {
        Duration duration = Duration.ofNanos(System.nanoTime() - started);
        metrics.toolCall(tool, outcome, duration);
        String organization = caller == null ? "-" : caller.organization().id();
        String operation = progress.attempt().map(a -> a.operation().name()).orElse("-");
        MDC.put("request_id", requestId);
        MDC.put("tool", tool);
        MDC.put("organization", organization);
        MDC.put("outcome", outcome.label());
        MDC.put("duration_ms", duration.toMillis());
        try {
            CALL_LOG.infof("tool_call request_id=%s tool=%s operation=%s organization=%s outcome=%s duration_ms=%d",
                    requestId, tool, operation, organization, outcome.label(), duration.toMillis());
        } finally {
            MDC.remove("request_id");
            MDC.remove("tool");
            MDC.remove("organization");
            MDC.remove("outcome");
            MDC.remove("duration_ms");
        }
    }
}
