package dev.switchboard.tenancy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.smallrye.mutiny.Uni;

/**
 * Organization state shared by every replica: active-organization overrides, the identity cache and rate-limit
 * buckets, all keyed by the SHA-256 hash of an API key (never the key). Redis in production; an in-process store with
 * the same semantics when no Redis is configured.
 */
public interface StateStore {

    String KEY_PREFIX = "mcp:";

    /**
     * What a tool call needs from the store, read in one round trip: a rate-limit token, the cached identity and the
     * active-organization override.
     *
     * @param allowed whether a token was taken
     * @param retryAfter how long until a token is free, when not allowed
     */
    record Admission(boolean allowed, Duration retryAfter, Optional<String> identity, Optional<String> activeOrganization,
            Optional<Instant> storeLostDataAt) {
    }

    /**
     * Takes one token from the key's bucket (capacity {@code perMinute}, refilled evenly; 0 means unlimited) and reads
     * the cached identity and the override, and whether the store lost its data less than {@code overrideTtl} ago (a
     * switch made before then may have been lost).
     */
    Uni<Admission> admit(String keyHash, int perMinute, Duration overrideTtl);

    Uni<Void> cacheIdentity(String keyHash, String identityJson, Duration ttl);

    Uni<Void> forgetIdentity(String keyHash);

    Uni<Void> setActiveOrganization(String keyHash, String organizationId, Duration ttl);

    Uni<Void> clearActiveOrganization(String keyHash);

    /** Fails when the store cannot be reached. */
    Uni<Void> ping();

    /** "redis" or "in-process", for the banner, health and metrics. */
    String kind();

    static String identityKey(String keyHash) {
        return KEY_PREFIX + "identity:" + keyHash;
    }

    static String activeKey(String keyHash) {
        return KEY_PREFIX + "active:" + keyHash;
    }

    static String rateLimitKey(String keyHash) {
        return KEY_PREFIX + "ratelimit:" + keyHash;
    }

    /** The store's generation: created once, so that its disappearance tells that the store lost its data. */
    String EPOCH_KEY = KEY_PREFIX + "epoch";
}
