package dev.switchboard.observability;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
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

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("switchboard.jobs.running", runningJobs);
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
        Timer.builder("switchboard.tool.calls")
                .description("MCP tool calls by tool and outcome")
                .tags("tool", tool, "outcome", outcome.label())
                .serviceLevelObjectives(LATENCY_SLOS)
                .register(registry)
                .record(duration);
    }

    /** One upstream HTTP attempt; status is the HTTP status, or connection_error, timeout or cancelled. */
    public void upstreamRequest(String operation, String status, Duration duration) {
        Timer.builder("switchboard.upstream.requests")
                .description("Workspace API requests by operation and status")
                .tags("operation", operation, "status", status)
                .serviceLevelObjectives(LATENCY_SLOS)
                .register(registry)
                .record(duration);
    }

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

    public void rateLimitRejection() {
        rateLimitCounter().increment();
    }

    private Counter rateLimitCounter() {
        return Counter.builder("switchboard.rate.limit.rejections")
                .description("Tool calls refused by the per-key rate limit")
                .register(registry);
    }
}
