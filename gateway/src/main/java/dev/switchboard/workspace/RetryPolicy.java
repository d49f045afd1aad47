package dev.switchboard.workspace;

import java.time.Duration;

import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import dev.switchboard.config.GatewayConfig;

/**
 * Which failed Workspace API requests are tried again, and which failures count against the backend's health: the one
 * place to read or change it. A failure is retried only when it is transient (no answer, 502, 503, 504, or 429 asking
 * to wait no longer than MCP_RETRY_MAX_RETRY_AFTER_SECONDS) and repeating the request cannot act twice (a read, an
 * idempotent method, or a write that carries an Idempotency-Key). Validation errors (4xx) never are. The waits between
 * attempts are {@link RetryAfterBackoff}'s.
 */
final class RetryPolicy {

    private final Duration longestRetryAfter;

    RetryPolicy(GatewayConfig config) {
        this.longestRetryAfter = Duration.ofSeconds(config.retry().maxRetryAfterSeconds());
    }

    /**
     * The failure as the guard should see it: marked to be tried again when this policy says so. The request decides
     * whether repeating it is safe; the policy decides which failures are worth it.
     */
    Throwable classify(UpstreamFailure failure, boolean safeToRepeat) {
        return safeToRepeat && passes(failure) ? new TryAgain(failure) : failure;
    }

    private boolean passes(UpstreamFailure failure) {
        if (failure instanceof UpstreamFailure.Unavailable unavailable) {
            int status = unavailable.status();
            return status == 0 || status == 502 || status == 503 || status == 504;
        }
        if (failure instanceof UpstreamFailure.Throttled throttled) {
            return throttled.retryAfter().map(wait -> wait.compareTo(longestRetryAfter) <= 0).orElse(true);
        }
        return false;
    }

    /** For the guard: whether an attempt's failure is tried again. */
    static boolean worthRetrying(Throwable failure) {
        return failure instanceof TryAgain;
    }

    /** For the circuit breaker: a refusal (4xx, 429) says nothing about the backend's health; failures to answer do. */
    static boolean countsAgainstTheBackend(Throwable failure) {
        Throwable upstream = failure instanceof TryAgain again ? again.getCause() : failure;
        return upstream instanceof UpstreamFailure.Unavailable || upstream instanceof TimeoutException;
    }

    /** The failure of an attempt the policy tries again; once retries are spent, {@link #unwrap} gives the failure. */
    static final class TryAgain extends RuntimeException {
        TryAgain(UpstreamFailure failure) {
            super(failure.getMessage(), failure, false, false);
        }

        /** For the backoff: Retry-After of the failure. */
        UpstreamFailure failure() {
            return (UpstreamFailure) getCause();
        }
    }

    /** The failure itself, without the policy's mark. */
    static Throwable unwrap(Throwable failure) {
        return failure instanceof TryAgain again ? again.getCause() : failure;
    }
}
