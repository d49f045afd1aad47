package dev.switchboard.workspace;

import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.observability.GatewayMetrics;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;

/**
 * The fault-tolerance policy around every Workspace API request, stated once and built from the MCP_* settings: a
 * per-attempt timeout, retries with backoff that honours Retry-After (what is retried is {@link RetryPolicy}'s), a
 * circuit breaker and a bulkhead. Innermost first: bulkhead, timeout, circuit breaker, retry.
 */
final class WorkspaceGuard {

    /** The circuit breaker's name, for health checks and maintenance. */
    static final String CIRCUIT_BREAKER = "workspace-api";

    private final Guard guard;

    WorkspaceGuard(GatewayConfig config, GatewayMetrics metrics) {
        GatewayConfig.Retry retry = config.retry();
        GatewayConfig.Circuit circuit = config.circuit();
        this.guard = Guard.create()
                .withDescription(CIRCUIT_BREAKER)
                .withTimeout().duration(config.requestTimeoutSeconds(), ChronoUnit.SECONDS).done()
                .withRetry()
                    .maxRetries(retry.maxRetries())
                    .delay(retry.delayMs(), ChronoUnit.MILLIS)
                    .maxDuration(retry.maxDurationSeconds(), ChronoUnit.SECONDS)
                    .jitter(0, ChronoUnit.MILLIS)
                    .whenException(RetryPolicy::worthRetrying)
                    .withCustomBackoff().strategy(() -> new RetryAfterBackoff(retry.maxDelayMs())).done()
                    .done()
                .withCircuitBreaker()
                    .name(CIRCUIT_BREAKER)
                    .requestVolumeThreshold(circuit.requestVolume())
                    .failureRatio(circuit.failureRatio())
                    .delay(circuit.delaySeconds(), ChronoUnit.SECONDS)
                    .successThreshold(circuit.successThreshold())
                    .when(RetryPolicy::countsAgainstTheBackend)
                    .onStateChange(state -> metrics.circuitBreaker(state == CircuitBreakerState.OPEN))
                    .done()
                .withBulkhead().limit(config.bulkhead().concurrency()).queueSize(config.bulkhead().queue()).done()
                .build();
    }

    /** Runs the request (a fresh one per attempt) under the policy; a failure comes out as the upstream's own. */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    <T> Uni<T> call(Supplier<Uni<T>> attempt) {
        return ((Uni<T>) guard.get((Supplier) attempt, Uni.class)).onFailure().transform(RetryPolicy::unwrap);
    }
}
