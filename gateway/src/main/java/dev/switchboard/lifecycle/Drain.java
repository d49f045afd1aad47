package dev.switchboard.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.observability.GatewayMetrics;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;

/**
 * Graceful shutdown. On SIGTERM this replica drains: readiness turns DOWN at once so that the load balancer stops
 * sending it new work, calls in flight may finish within MCP_SHUTDOWN_DRAIN_SECONDS, and whatever is still running
 * then (a followed job) is answered with how to resume it elsewhere, before Quarkus's own graceful wait ends.
 */
@ApplicationScoped
public class Drain {

    private static final Logger LOG = Logger.getLogger(Drain.class);
    /** Time kept back at the end of the drain to write the last answers before the process stops waiting for them. */
    private static final Duration MARGIN = Duration.ofSeconds(2);

    private final Duration drainTime;
    private final GatewayMetrics metrics;
    private final List<Runnable> onStart = new ArrayList<>();
    private volatile long deadline;
    private volatile boolean draining;

    Drain(GatewayConfig config, GatewayMetrics metrics) {
        this.drainTime = Duration.ofSeconds(config.shutdown().drainSeconds());
        this.metrics = metrics;
    }

    void sigterm(@Observes ShutdownDelayInitiatedEvent event) {
        start();
    }

    /** Starts draining (idempotent). */
    public synchronized void start() {
        if (draining) {
            return;
        }
        deadline = System.nanoTime() + Math.max(0, drainTime.minus(MARGIN).toNanos());
        draining = true;
        metrics.draining();
        LOG.infof("Draining: not ready for new work; calls in flight have %d s to finish", drainTime.toSeconds());
        onStart.forEach(Runnable::run);
    }

    /** Runs when draining starts (for example to end idle streams). */
    public synchronized void whenDraining(Runnable action) {
        if (draining) {
            action.run();
        } else {
            onStart.add(action);
        }
    }

    public boolean draining() {
        return draining;
    }

    /** The drain time is up: what still runs must answer now. */
    public boolean deadlinePassed() {
        return draining && System.nanoTime() - deadline >= 0;
    }

    public Duration drainTime() {
        return drainTime;
    }
}
