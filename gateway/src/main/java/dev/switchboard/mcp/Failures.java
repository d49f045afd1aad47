package dev.switchboard.mcp;

import java.util.Optional;

import dev.switchboard.catalog.Operation;
import dev.switchboard.tenancy.Caller;

/**
 * Failures that carry what the error message needs forward, instead of handing it back through shared state: who the
 * caller was (for the organization header), which operation ran and with which idempotency key.
 */
final class Failures {

    private Failures() {
    }

    /** A failure after the caller was admitted. */
    static final class OfCaller extends RuntimeException {
        final Caller caller;

        OfCaller(Throwable cause, Caller caller) {
            super(cause.getMessage(), cause, false, false);
            this.caller = caller;
        }
    }

    /**
     * A failure while running an operation.
     *
     * @param jobId the job the operation started, when the failure came while following it
     */
    static final class OfOperation extends RuntimeException {
        final Operation operation;
        final Optional<String> idempotencyKey;
        final Optional<String> jobId;

        OfOperation(Throwable cause, Operation operation, Optional<String> idempotencyKey, Optional<String> jobId) {
            super(cause.getMessage(), cause, false, false);
            this.operation = operation;
            this.idempotencyKey = idempotencyKey;
            this.jobId = jobId;
        }
    }
}
