package dev.switchboard.support;

import java.time.Duration;

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
        apply();
    }

    @Override
    public void beforeClass(Class<?> testClass) {
        apply();
    }

    private static void apply() {
        Awaitility.setDefaultTimeout(LIMIT);
        Awaitility.setDefaultPollInterval(Duration.ofMillis(100));
    }
}
