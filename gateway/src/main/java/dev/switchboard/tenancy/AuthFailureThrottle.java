package dev.switchboard.tenancy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.config.GatewayConfig;

/**
 * Limits failed authentications (keys the workspace refused) per client address and minute, so that guessing keys
 * costs the guesser time and costs the workspace nothing. Keys already known to be valid are never held back. Per
 * replica: a guesser spread over several replicas gets the limit of each.
 */
@ApplicationScoped
class AuthFailureThrottle {

    private static final long WINDOW_NANOS = Duration.ofMinutes(1).toNanos();
    private static final int MAX_ADDRESSES = 50_000;

    private final int perMinute;
    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

    AuthFailureThrottle(GatewayConfig config) {
        this.perMinute = config.limits().authFailuresPerMinute();
    }

    /** How long the address must wait before an unknown key is checked again; zero when it may go ahead. */
    Duration waitFor(String address) {
        if (perMinute <= 0) {
            return Duration.ZERO;
        }
        Deque<Long> recent = failures.get(address);
        if (recent == null) {
            return Duration.ZERO;
        }
        synchronized (recent) {
            long now = System.nanoTime();
            while (!recent.isEmpty() && now - recent.peekFirst() > WINDOW_NANOS) {
                recent.pollFirst();
            }
            if (recent.size() < perMinute) {
                return Duration.ZERO;
            }
            return Duration.ofNanos(WINDOW_NANOS - (now - recent.peekFirst()));
        }
    }

    void failed(String address) {
        if (perMinute <= 0) {
            return;
        }
        if (failures.size() > MAX_ADDRESSES) {
            failures.clear();
        }
        Deque<Long> recent = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (recent) {
            recent.addLast(System.nanoTime());
            while (recent.size() > perMinute) {
                recent.pollFirst();
            }
        }
    }
}
