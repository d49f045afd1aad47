package dev.switchboard.tenancy;

import java.time.Duration;

/** The rate-limit arithmetic, shared by the in-process store; the Redis store runs the same steps in a script. */
final class TokenBucket {

    private double tokens;
    private long updatedMillis;

    TokenBucket(int capacity, long nowMillis) {
        this.tokens = capacity;
        this.updatedMillis = nowMillis;
    }

    /** @return zero when a token was taken, otherwise how long until one is free */
    synchronized Duration take(int perMinute, long nowMillis) {
        double refillPerMilli = perMinute / 60_000.0;
        tokens = Math.min(perMinute, tokens + Math.max(0, nowMillis - updatedMillis) * refillPerMilli);
        updatedMillis = nowMillis;
        if (tokens >= 1) {
            tokens -= 1;
            return Duration.ZERO;
        }
        return Duration.ofMillis((long) Math.ceil((1 - tokens) / refillPerMilli));
    }

    synchronized boolean idleSince(long millis) {
        return updatedMillis < millis;
    }
}
