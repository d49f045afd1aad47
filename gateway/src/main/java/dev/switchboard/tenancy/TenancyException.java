package dev.switchboard.tenancy;

import java.time.Duration;

/** Why a call cannot go ahead for tenancy reasons; the message tells the caller what to do next. */
public class TenancyException extends RuntimeException {

    public enum Reason {
        /** No API key was sent. */
        AUTHENTICATION_REQUIRED,
        /** The key is unknown, revoked or expired. */
        INVALID_KEY,
        /** No organization can be chosen, or the chosen one is not reachable. */
        NO_ACTIVE_ORGANIZATION,
        /** The key made too many calls; {@link #retryAfter()} says when to come back. */
        RATE_LIMITED,
        /** The state store is down and the call cannot know its organization. */
        STATE_STORE_UNAVAILABLE,
        /** The client's address made too many failed authentications; {@link #retryAfter()} says when to come back. */
        TOO_MANY_FAILED_AUTHENTICATIONS
    }

    private final Reason reason;
    private final Duration retryAfter;

    public TenancyException(Reason reason, String message) {
        this(reason, message, Duration.ZERO);
    }

    public TenancyException(Reason reason, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    public Reason reason() {
        return reason;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
