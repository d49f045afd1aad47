package dev.switchboard.workspace;

/**
 * A relayed request failed for good (after the guard's retries). Says how many attempts went out, since a write that
 * reached the workspace may have happened even though no answer came back. The cause is one of
 * {@link UpstreamFailure}, or the fault-tolerance exceptions (timeout, open circuit, full bulkhead).
 */
public final class UpstreamCallFailed extends RuntimeException {

    private final int attemptsSent;

    UpstreamCallFailed(Throwable cause, int attemptsSent) {
        super(cause.getMessage(), cause, false, false);
        this.attemptsSent = attemptsSent;
    }

    public int attemptsSent() {
        return attemptsSent;
    }

    /** Something went out, so a failed write may have happened anyway. */
    public boolean reachedUpstream() {
        return attemptsSent > 0;
    }
}
