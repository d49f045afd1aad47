package dev.switchboard.tenancy;

/** The state store did not answer; the message never contains connection details. */
public class StateStoreUnavailable extends RuntimeException {

    public StateStoreUnavailable(Throwable cause) {
        this("The organization state store is unavailable.", cause);
    }

    private StateStoreUnavailable(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /**
     * The store took a write but could not confirm that it would survive a failover (no replica acknowledged it in
     * time, as when Sentinel promotes the replica meanwhile): the write may hold or may be lost, so it is neither
     * "saved" nor "not saved".
     */
    public static final class Unconfirmed extends StateStoreUnavailable {

        public Unconfirmed(Throwable cause) {
            super("The organization state store took the write but no replica confirmed it.", cause);
        }
    }
}
