package dev.switchboard.config;

import java.security.SecureRandom;
import java.util.HexFormat;

import jakarta.inject.Singleton;

/**
 * Over stdio (MCP_TRANSPORT=stdio) the process relays its client's messages to its own HTTP endpoint on loopback. That
 * endpoint serves only this process's bridge: the bridge sends this token, random at each start and never shown, and
 * the edge refuses MCP requests without it, so that no other local program can act with the stdio client's key.
 */
@Singleton
public class BridgeToken {

    /** The header the token travels in. */
    public static final String HEADER = RequestHeader.STDIO_BRIDGE_TOKEN.wireName();

    private final String value;

    public BridgeToken() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.value = HexFormat.of().formatHex(random);
    }

    public String value() {
        return value;
    }

    public boolean matches(String presented) {
        return presented != null && java.security.MessageDigest.isEqual(presented.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
