package dev.switchboard.observability;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The gateway's own metrics. Every label value is drawn from a fixed set (tool and operation names of the catalog,
 * outcomes, status codes): no key, key hash, organization or contact ever becomes a label.
 */
@ApplicationScoped
public class GatewayMetrics {

    private static final Duration[] LATENCY_SLOS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60) };

    private final MeterRegistry registry;
    private final AtomicInteger runningJobs = new AtomicInteger();
    private final AtomicInteger circuitOpen = new AtomicInteger();
    private final AtomicInteger stateStoreUp = new AtomicInteger(1);
    private final AtomicInteger draining = new AtomicInteger();
    private final Counter circuitOpened;
    private final Counter stateStoreResets;
    private final Counter authFailuresThrottled;

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("switchboard.jobs.running", runningJobs);
        // the gateway's own names, so that dashboards and alerts never match another service's ft_* series
        registry.gauge("switchboard.circuit.breaker.open", circuitOpen);
        Gauge.builder("switchboard.dependency.up", circuitOpen, open -> open.get() == 0 ? 1 : 0)
                .description("Whether the Workspace API takes calls (0 while the circuit breaker is open)")
                .tags("dependency", "workspace_api").register(registry);
        Gauge.builder("switchboard.dependency.up", stateStoreUp, AtomicInteger::get)
                .description("Whether the organization state store answers").tags("dependency", "state_store")
                .register(registry);
        Gauge.builder("switchboard.draining", draining, AtomicInteger::get)
                .description("1 while this replica drains after SIGTERM").register(registry);
        circuitOpened = Counter.builder("switchboard.circuit.breaker.opened")
                .description("Times the circuit breaker around the Workspace API opened").register(registry);
        stateStoreResets = Counter.builder("switchboard.state.store.resets")
                .description("Times the state store was found emptied (Redis restarted without its data)").register(registry);
        authFailuresThrottled = Counter.builder("switchboard.auth.failures.throttled")
                .description("Tool calls refused because their client address made too many failed authentications")
                .register(registry);
        // counters start at zero, so that dashboards show 0 rather than nothing and increase() sees the first event
        for (String result : new String[] { "ok", "missing_key", "invalid_key", "error" }) {
            for (boolean cached : new boolean[] { true, false }) {
                authenticationCounter(result, cached);
            }
        }
        for (String result : new String[] { "ok", "refused" }) {
            switchCounter(result);
        }
        for (String operation : new String[] { "admit", "write", "ping" }) {
            storeErrorCounter(operation);
        }
        rateLimitCounter();
    }

    /** One finished tool call; outcome is one of {@link ToolOutcome}. */
    public void toolCall(String tool, ToolOutcome outcome, Duration duration) {
        toolTimers.computeIfAbsent(new Tags(tool, outcome.label()), tags -> Timer.builder("switchboard.tool.calls")
                .description("MCP tool calls by tool and outcome")
                .tags("tool", tags.first(), "outcome", tags.second())
                .serviceLevelObjectives(LATENCY_SLOS)
                .register(registry))
                .record(duration);
    }

    /** One upstream HTTP attempt; status is the HTTP status, or connection_error, timeout or cancelled. */
    public void upstreamRequest(String operation, String status, Duration duration) {
        upstreamTimers.computeIfAbsent(new Tags(operation, status), tags -> Timer.builder("switchboard.upstream.requests")
                .description("Workspace API requests by operation and status")
                .tags("operation", tags.first(), "status", tags.second())
                .serviceLevelObjectives(LATENCY_SLOS)
                .register(registry))
                .record(duration);
    }

    /** Two tag values of a meter found again on every call (building and looking a meter up cost more than recording). */
    private record Tags(String first, String second) {
    }

    private final java.util.Map<Tags, Timer> toolTimers = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<Tags, Timer> upstreamTimers = new java.util.concurrent.ConcurrentHashMap<>();

    public void jobStarted() {
        runningJobs.incrementAndGet();
    }

    /** outcome: completed, failed, cancelled or timeout. */
    public void jobFinished(String operation, String outcome, Duration duration) {
        runningJobs.decrementAndGet();
        Timer.builder("switchboard.jobs")
                .description("Long operations followed to their end, by operation and outcome")
                .tags("operation", operation, "outcome", outcome)
                .serviceLevelObjectives(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15),
                        Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofMinutes(15))
                .register(registry)
                .record(duration);
    }

    /** result: ok, missing_key, invalid_key or error. */
    public void authentication(String result, boolean cached) {
        authenticationCounter(result, cached).increment();
    }

    private Counter authenticationCounter(String result, boolean cached) {
        return Counter.builder("switchboard.authentications")
                .description("API key checks by result")
                .tags("result", result, "cached", String.valueOf(cached))
                .register(registry);
    }

    /** result: ok or refused. */
    public void organizationSwitch(String result) {
        switchCounter(result).increment();
    }

    private Counter switchCounter(String result) {
        return Counter.builder("switchboard.organization.switches")
                .description("organizations_switch calls by result")
                .tags("result", result)
                .register(registry);
    }

    /** operation: admit, write or ping. */
    public void stateStoreError(String operation) {
        storeErrorCounter(operation).increment();
    }

    private Counter storeErrorCounter(String operation) {
        return Counter.builder("switchboard.state.store.errors")
                .description("Failed state store operations")
                .tags("operation", operation)
                .register(registry);
    }

    /** The circuit breaker around the Workspace API opened (true) or closed again. */
    public void circuitBreaker(boolean open) {
        if (open && circuitOpen.getAndSet(1) == 0) {
            circuitOpened.increment();
        } else if (!open) {
            circuitOpen.set(0);
        }
    }

    public boolean circuitOpen() {
        return circuitOpen.get() == 1;
    }

    public void stateStoreUp(boolean up) {
        stateStoreUp.set(up ? 1 : 0);
    }

    public void stateStoreReset() {
        stateStoreResets.increment();
    }

    public void draining() {
        draining.set(1);
    }

    public void authFailureThrottled() {
        authFailuresThrottled.increment();
    }

    /** Sessions this replica holds, read when scraped. */
    public void sessions(java.util.function.IntSupplier active) {
        Gauge.builder("switchboard.sessions.active", active::getAsInt).description("MCP sessions held by this replica")
                .register(registry);
        for (String reason : new String[] { "client_limit", "total_limit" }) {
            sessionRefusedCounter(reason);
        }
    }

    /** reason: client_limit or total_limit. */
    public void sessionRefused(String reason) {
        sessionRefusedCounter(reason).increment();
    }

    private Counter sessionRefusedCounter(String reason) {
        return Counter.builder("switchboard.sessions.refused")
                .description("Sessions (initialize, legacy SSE streams) refused or closed by a session bound")
                .tags("reason", reason).register(registry);
    }

    /** Connections busy with a request or an open stream, read when scraped; and the refusal counters. */
    public void connections(java.util.function.IntSupplier busy) {
        Gauge.builder("switchboard.connections.busy", busy::getAsInt)
                .description("Connections serving a request or an open stream (the connection budget)").register(registry);
        for (String reason : new String[] { "client_limit", "total_limit" }) {
            connectionRefusedCounter(reason);
        }
    }

    /** reason: client_limit or total_limit. */
    public void connectionRefused(String reason) {
        connectionRefusedCounter(reason).increment();
    }

    private Counter connectionRefusedCounter(String reason) {
        return Counter.builder("switchboard.connections.refused")
                .description("Requests refused because the connection budget was spent").tags("reason", reason)
                .register(registry);
    }

    public void rateLimitRejection() {
        rateLimitCounter().increment();
    }

    private Counter rateLimitCounter() {
        return Counter.builder("switchboard.rate.limit.rejections")
                .description("Tool calls refused by the per-key rate limit")
                .register(registry);
    }
}
