package dev.switchboard.support;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.quarkus.test.junit.callback.QuarkusTestBeforeClassCallback;

/**
 * Every wait of the suite (Awaitility's, which the MCP test clients use too) polls for up to a minute: a loaded
 * machine is slow, not wrong, and no test asserts speed. Registered for plain JUnit classes through extension
 * auto-detection, and for Quarkus tests, whose classes see Awaitility through the application's class loader, as a
 * Quarkus test callback (both in src/test/resources/META-INF/services).
 */
public class GenerousWaits implements BeforeAllCallback, QuarkusTestBeforeClassCallback {

    public static final Duration LIMIT = Duration.ofMinutes(1);

    @Override
    public void beforeAll(ExtensionContext context) {
        apply(ACROSS_PROCESSES);
    }

    @Override
    public void beforeClass(Class<?> testClass) {
        apply(IN_PROCESS);
    }

    /**
     * Polls {@code condition} every 100 ms for up to {@link #LIMIT}; a condition that throws counts as not yet (a
     * server restarting or not listening yet). Fails naming {@code what}, the last error and {@code context}.
     */
    public static void until(String what, BooleanSupplier condition, Supplier<String> context) {
        Instant deadline = Instant.now().plus(LIMIT);
        RuntimeException last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(what + " did not happen within " + LIMIT.toSeconds() + " s"
                + (last == null ? "" : " (last error: " + last.getMessage() + ")") + context.get());
    }

    /**
     * How often a Quarkus test's waits look. Awaitility's own default first looks after 100 ms and then every 100 ms,
     * which the MCP test clients pay on every message they wait for: a call answered in 3 ms took 100. Looking at once
     * and then every 5 ms makes a chain of calls as quick as the gateway (CursorTest: 18 s to 3 s).
     */
    static final Duration IN_PROCESS = Duration.ofMillis(5);
    /**
     * How often a process-level test's waits look (the JUnit extension, which only plain classes use for their own
     * Awaitility): each look there is usually a request to a gateway it started, which that gateway logs.
     */
    static final Duration ACROSS_PROCESSES = Duration.ofMillis(100);

    private static void apply(Duration poll) {
        Awaitility.setDefaultTimeout(LIMIT);
        Awaitility.setDefaultPollDelay(Duration.ZERO);
        Awaitility.setDefaultPollInterval(poll);
    }
}
