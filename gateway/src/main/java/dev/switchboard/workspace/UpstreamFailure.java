package dev.switchboard.workspace;

import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The Workspace API answered with an error, or could not be reached: {@link Rejected} is the caller's problem,
 * {@link Throttled} and {@link Unavailable} may pass. Which of them are tried again is {@link RetryPolicy}'s decision.
 */
public abstract sealed class UpstreamFailure extends RuntimeException {

    private final int status;
    private final String code;
    private final JsonNode details;
    private final Duration retryAfter;

    UpstreamFailure(int status, String code, String message, JsonNode details, Duration retryAfter, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
        this.code = code;
        this.details = details == null ? JsonNodeFactory.instance.objectNode() : details;
        this.retryAfter = retryAfter;
    }

    /** HTTP status, or 0 when no response arrived. */
    public int status() {
        return status;
    }

    /** The error body's code, or a code the gateway chose when there was no body. */
    public String code() {
        return code;
    }

    public JsonNode details() {
        return details;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** A 4xx answer other than 429: the request itself is wrong and repeating it cannot help. */
    public static final class Rejected extends UpstreamFailure {
        Rejected(int status, String code, String message, JsonNode details) {
            super(status, code, message, details, null, null);
        }
    }

    /** 429: the workspace asks to slow down. */
    public static final class Throttled extends UpstreamFailure {
        Throttled(String code, String message, Duration retryAfter) {
            super(429, code, message, null, retryAfter, null);
        }
    }

    /**
     * 5xx, a dropped connection, or no connection at all. {@link #reachedUpstream()} tells whether the request may have
     * been acted on.
     */
    public static final class Unavailable extends UpstreamFailure {
        private final boolean reachedUpstream;

        Unavailable(int status, String code, String message, Duration retryAfter, boolean reachedUpstream, Throwable cause) {
            super(status, code, message, null, retryAfter, cause);
            this.reachedUpstream = reachedUpstream;
        }

        /** False only when the connection was refused: then nothing can have happened upstream. */
        public boolean reachedUpstream() {
            return reachedUpstream;
        }
    }
}
