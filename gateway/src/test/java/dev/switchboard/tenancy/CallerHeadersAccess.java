package dev.switchboard.tenancy;

/** Lets tests of other packages compute the hash a key is stored under. */
public final class CallerHeadersAccess {

    private CallerHeadersAccess() {
    }

    public static String hash(String key) {
        return Credentials.hash(key);
    }
}
