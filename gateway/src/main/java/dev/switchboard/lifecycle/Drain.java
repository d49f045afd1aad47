package dev.switchboard.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.observability.GatewayMetrics;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;

/**
 * Graceful shutdown. On SIGTERM this replica drains: readiness turns DOWN at once so that the load balancer stops
 * sending it new work, calls in flight may finish within MCP_SHUTDOWN_DRAIN_SECONDS, and whatever is still running
 * then (a followed job, an upstream request that has not answered) is answered with how to resume it elsewhere, before
 * Quarkus's own graceful wait ends. The drain covers the request timeout (checked at start-up), so that in the
 * ordinary case every call finishes; a write cut short is answered with the idempotency key that makes its retry safe.
 */
@ApplicationScoped
public class Drain {

    private static final Logger LOG = Logger.getLogger(Drain.class);
    /** Time kept back at the end of the drain to write the last answers before the process stops waiting for them. */
    private static final Duration MARGIN = Duration.ofSeconds(GatewayConfig.Shutdown.ANSWER_MARGIN_SECONDS);

    private final Duration drainTime;
    private final GatewayMetrics metrics;
    private final Vertx vertx;
    private final List<Runnable> onStart = new ArrayList<>();
    /** What {@link #bounded} runs, each cut when the drain time is up so that its caller is answered at once. */
    private final Set<Runnable> cutAtDeadline = ConcurrentHashMap.newKeySet();
    private volatile long deadline;
    private volatile boolean draining;

    Drain(GatewayConfig config, GatewayMetrics metrics, Vertx vertx) {
        this.drainTime = Duration.ofSeconds(config.shutdown().drainSeconds());
        this.metrics = metrics;
        this.vertx = vertx;
    }

    void sigterm(@Observes ShutdownDelayInitiatedEvent event) {
        start();
    }

    /** Starts draining (idempotent). */
    public synchronized void start() {
        if (draining) {
            return;
        }
        long left = Math.max(0, drainTime.minus(MARGIN).toMillis());
        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(left);
        draining = true;
        vertx.setTimer(Math.max(1, left), id -> List.copyOf(cutAtDeadline).forEach(Runnable::run));
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

    /**
     * The work, unless the drain time runs out first: then it is cancelled and fails with {@link DeadlineReached}, so
     * that its caller is answered (with how to resume) before the process stops, never left with a dropped connection.
     */
    public <T> Uni<T> bounded(Uni<T> work) {
        return Uni.createFrom().emitter(emitter -> {
            AtomicBoolean ended = new AtomicBoolean();
            AtomicReference<Cancellable> upstream = new AtomicReference<>();
            Runnable cut = () -> {
                if (ended.compareAndSet(false, true)) {
                    Cancellable running = upstream.get();
                    if (running != null) {
                        running.cancel();
                    }
                    emitter.fail(new DeadlineReached());
                }
            };
            cutAtDeadline.add(cut);
            emitter.onTermination(() -> {
                cutAtDeadline.remove(cut);
                Cancellable running = upstream.get();
                if (ended.compareAndSet(false, true) && running != null) {
                    running.cancel(); // the caller went away (a client's cancellation)
                }
            });
            upstream.set(work.subscribe().with(item -> {
                if (ended.compareAndSet(false, true)) {
                    emitter.complete(item);
                }
            }, failure -> {
                if (ended.compareAndSet(false, true)) {
                    emitter.fail(failure);
                }
            }));
            if (deadlinePassed()) {
                cut.run();
            }
        });
    }

    /** The drain time ran out before the work ended. */
    public static final class DeadlineReached extends RuntimeException {
        DeadlineReached() {
            super("this replica is shutting down", null, false, false);
        }
    }
}
