package dev.switchboard.tenancy;

import org.eclipse.microprofile.config.ConfigProvider;

/** Lets tests compute the principal (keyed fingerprint) a key is stored under, with the test profile's secret. */
public final class CallerHeadersAccess {

    private CallerHeadersAccess() {
    }

    public static String hash(String key) {
        return new Principals(ConfigProvider.getConfig().getValue("mcp.key-hash-secret", String.class)).ofKey(key);
    }
}
