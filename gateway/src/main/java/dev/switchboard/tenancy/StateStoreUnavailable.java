package dev.switchboard.tenancy;

/** The state store did not answer; the message never contains connection details. */
public class StateStoreUnavailable extends RuntimeException {

    public StateStoreUnavailable(Throwable cause) {
        super("The organization state store is unavailable.", cause, false, false);
    }
}
