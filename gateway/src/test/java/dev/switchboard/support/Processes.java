package dev.switchboard.support;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The processes a test class starts (gateways, Redis servers, nginx), stopped after its last test in the reverse order
 * of their start, also when a start failed half-way or a test failed. A class registers it once and passes every
 * process it starts through {@link #add}:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final Processes processes = new Processes();
 *
 * &#64;BeforeAll
 * static void start() throws Exception {
 *     redis = processes.add(RedisServer.start());
 *     gateway = processes.add(GatewayProcess.start("name", Map.of("REDIS_URL", redis.url())));
 * }
 * </pre>
 *
 * Processes added together ({@link #addAll}) are stopped together, in parallel. Within one test, a try-with-resources
 * block does the same.
 */
public final class Processes implements AfterAllCallback, AutoCloseable {

    /** Threads of their own: stopping waits for processes, whatever the machine's core count. */
    private static final ExecutorService STOPPERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "processes-stop");
        thread.setDaemon(true);
        return thread;
    });

    private final Deque<List<AutoCloseable>> started = new ArrayDeque<>();

    /** Stops {@code process} after the class's last test (before whatever was added earlier). */
    public synchronized <T extends AutoCloseable> T add(T process) {
        if (process != null) {
            started.push(List.of(process));
        }
        return process;
    }

    /** Processes started together, stopped together (in parallel). */
    public synchronized <T extends AutoCloseable> List<T> addAll(List<T> processes) {
        List<AutoCloseable> present = new ArrayList<>();
        processes.stream().filter(p -> p != null).forEach(present::add);
        if (!present.isEmpty()) {
            started.push(present);
        }
        return processes;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    /** Stops everything added so far, last first; the first failure is thrown, with the others suppressed. */
    @Override
    public synchronized void close() throws Exception {
        Exception first = null;
        while (!started.isEmpty()) {
            List<CompletableFuture<Void>> stopping = new ArrayList<>();
            for (AutoCloseable process : started.pop()) {
                stopping.add(CompletableFuture.runAsync(() -> stop(process), STOPPERS));
            }
            for (CompletableFuture<Void> stop : stopping) {
                try {
                    stop.join();
                } catch (CompletionException e) {
                    Exception cause = e.getCause() instanceof Exception exception ? exception : e;
                    if (first == null) {
                        first = cause;
                    } else {
                        first.addSuppressed(cause);
                    }
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static void stop(AutoCloseable process) {
        try {
            process.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }
}
