package dev.switchboard.workspace;

import java.util.concurrent.ThreadLocalRandom;

import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

/**
 * Exponential backoff with jitter that never waits less than the upstream's Retry-After. The guard makes one instance
 * per guarded call, so the attempt counter is per call.
 */
final class RetryAfterBackoff implements CustomBackoffStrategy {

    private final long maxDelay;
    private long initialDelay;
    private int attempt;

    RetryAfterBackoff(long maxDelayMillis) {
        this.maxDelay = maxDelayMillis;
    }

    @Override
    public void init(long initialDelayInMillis) {
        this.initialDelay = Math.max(1, initialDelayInMillis);
    }

    @Override
    public long nextDelayInMillis(Throwable cause) {
        long exponential = Math.min(maxDelay, initialDelay << Math.min(attempt++, 20));
        // "equal jitter": half fixed, half random, so retries of many callers spread out but still back off
        long delay = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
        Throwable failure = RetryPolicy.unwrap(cause);
        if (failure instanceof UpstreamFailure upstream && upstream.retryAfter().isPresent()) {
            delay = Math.max(delay, upstream.retryAfter().get().toMillis());
        }
        return delay;
    }
}
