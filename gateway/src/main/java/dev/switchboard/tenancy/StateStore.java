package dev.switchboard.tenancy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.mutiny.Uni;

/**
 * State shared by every replica, kept per principal (the keyed fingerprint of an API key, see {@link Principals}; never
 * the key) on a few primitives: a value with an expiry, written, written if absent, read and deleted; and, in the one
 * round trip a call makes, a rate-limit token taken together with the values the call needs and the store's
 * generation (whether it lost its data). Redis in production; an in-process store with the same semantics when no
 * Redis is configured. A new per-principal setting is a new {@link Field}: nothing else changes.
 */
public interface StateStore {

    String KEY_PREFIX = "mcp:";

    /** The store's generation: created once, so that its disappearance tells that the store lost its data. */
    String EPOCH_KEY = KEY_PREFIX + "epoch";

    /**
     * A value kept per principal.
     *
     * @param confirmed a write is acknowledged only once it would survive the loss of the Redis node that took it (a
     *        Sentinel replica has it; Cluster remembers it beside the generation), for choices the user made
     */
    record Field(String name, boolean confirmed) {

        /** The organization the principal switched to (organizations_switch). */
        public static final Field ACTIVE_ORGANIZATION = new Field("active", true);
        /** The principal's identity as the workspace described it, cached briefly. */
        public static final Field IDENTITY = new Field("identity", false);
        /** Set while the workspace has accepted the key lately: the failed-authentication throttle never holds it. */
        public static final Field KNOWN_VALID = new Field("valid", false);
        /** Set once an MCP session was ended (DELETE), so that every replica answers it 404. */
        public static final Field SESSION_ENDED = new Field("session-ended", false);
        /** The rate-limit bucket, taken by {@link #admit} only. */
        static final Field RATE_LIMIT = new Field("ratelimit", false);

        /** An answer that could not be delivered, kept for the client's retry of the same request. */
        public static Field undelivered(String slot) {
            return new Field("undelivered:" + slot, false);
        }

        /**
         * A task's parts (tasks extension): its record while it runs or waits, its end once it ended, and the lease its
         * runner renews while the call runs (so that any replica tells a task whose runner stopped).
         */
        public static Field task(String part, String taskId) {
            return new Field("task-" + part + ":" + taskId, false);
        }

        /** The name of this field's entry for a principal: {@code mcp:<field>:<principal>}. */
        public String key(String principal) {
            return KEY_PREFIX + name + ":" + principal;
        }
    }

    /**
     * What a call read in its one round trip.
     *
     * @param allowed whether a rate-limit token was taken
     * @param retryAfter how long until a token is free, when not allowed
     * @param values the requested fields that hold a value
     * @param storeLostDataAt when the store was found to have lost its data, if less than the loss window ago
     */
    record Snapshot(boolean allowed, Duration retryAfter, Map<Field, String> values, Optional<Instant> storeLostDataAt) {

        public Optional<String> get(Field field) {
            return Optional.ofNullable(values.get(field));
        }
    }

    /**
     * Takes one token from the principal's bucket (capacity {@code perMinute}, refilled evenly; 0 means unlimited),
     * reads {@code fields}, and checks the store's generation: whether it lost its data less than {@code lossWindow}
     * ago (a confirmed value written before then may have been lost).
     */
    Uni<Snapshot> admit(String principal, int perMinute, Duration lossWindow, List<Field> fields);

    Uni<Optional<String>> read(String principal, Field field);

    /** How long the value has left, when there is one. */
    Uni<Optional<Duration>> remaining(String principal, Field field);

    Uni<Void> write(String principal, Field field, String value, Duration ttl);

    /** @return whether it was written (false: a value was there) */
    Uni<Boolean> writeIfAbsent(String principal, Field field, String value, Duration ttl);

    Uni<Void> delete(String principal, Field field);

    /** Fails when the store cannot be reached. */
    Uni<Void> ping();

    /** "redis" or "in-process", for the banner, health and metrics. */
    String kind();
}
