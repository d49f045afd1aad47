package dev.switchboard.workspace;

import java.util.concurrent.ThreadLocalRandom;

import org.eclipse.microprofile.config.ConfigProvider;

import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

/**
 * Exponential backoff with jitter that never waits less than the upstream's Retry-After. SmallRye creates one
 * instance per guarded invocation, so the attempt counter is per call.
 */
public class RetryAfterBackoff implements CustomBackoffStrategy {

    private long initialDelay;
    private long maxDelay;
    private int attempt;

    @Override
    public void init(long initialDelayInMillis) {
        this.initialDelay = Math.max(1, initialDelayInMillis);
        this.maxDelay = ConfigProvider.getConfig().getOptionalValue("mcp.retry.max-delay-ms", Long.class).orElse(5000L);
    }

    @Override
    public long nextDelayInMillis(Throwable cause) {
        long exponential = Math.min(maxDelay, initialDelay << Math.min(attempt++, 20));
        // "equal jitter": half fixed, half random, so retries of many callers spread out but still back off
        long delay = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
        if (cause instanceof UpstreamFailure failure && failure.retryAfter().isPresent()) {
            delay = Math.max(delay, failure.retryAfter().get().toMillis());
        }
        return delay;
    }
}
