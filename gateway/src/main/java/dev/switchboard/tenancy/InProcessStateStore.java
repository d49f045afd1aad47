package dev.switchboard.tenancy;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The state store of a single process, with the same semantics as Redis (TTLs included). Used when no Redis is
 * configured, and as the rate limiter of last resort when Redis is down. Optionally keeps overrides in a session
 * file so that a stdio client's organization switch survives the process restarts such clients do.
 */
final class InProcessStateStore implements StateStore {

    private static final Logger LOG = Logger.getLogger(InProcessStateStore.class);

    private record Expiring(String value, Instant expires) {
        boolean live(Instant now) {
            return expires.isAfter(now);
        }
    }

    private final Map<String, Expiring> values = new ConcurrentHashMap<>();
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final Optional<Path> sessionFile;
    private final ObjectMapper mapper = new ObjectMapper();
    private volatile boolean sessionFileWarned;

    InProcessStateStore(Optional<Path> sessionFile) {
        this.sessionFile = sessionFile;
        sessionFile.ifPresent(this::load);
    }

    @Override
    public Uni<Admission> admit(String keyHash, int perMinute, Duration overrideTtl) {
        // the store lives and dies with this process: it cannot lose data behind the gateway's back
        Duration retryAfter = take(keyHash, perMinute);
        return Uni.createFrom().item(new Admission(retryAfter.isZero(), retryAfter, get(StateStore.identityKey(keyHash)),
                get(StateStore.activeKey(keyHash)), Optional.empty()));
    }

    Duration take(String keyHash, int perMinute) {
        if (perMinute <= 0) {
            return Duration.ZERO;
        }
        long now = System.currentTimeMillis();
        if (buckets.size() > 10_000) {
            buckets.values().removeIf(bucket -> bucket.idleSince(now - 120_000));
        }
        return buckets.computeIfAbsent(keyHash, k -> new TokenBucket(perMinute, now)).take(perMinute, now);
    }

    @Override
    public Uni<Void> cacheIdentity(String keyHash, String identityJson, Duration ttl) {
        values.put(StateStore.identityKey(keyHash), new Expiring(identityJson, Instant.now().plus(ttl)));
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> forgetIdentity(String keyHash) {
        values.remove(StateStore.identityKey(keyHash));
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> setActiveOrganization(String keyHash, String organizationId, Duration ttl) {
        values.put(StateStore.activeKey(keyHash), new Expiring(organizationId, Instant.now().plus(ttl)));
        return saveSession();
    }

    @Override
    public Uni<Void> clearActiveOrganization(String keyHash) {
        values.remove(StateStore.activeKey(keyHash));
        return saveSession();
    }

    @Override
    public Uni<Void> ping() {
        return Uni.createFrom().voidItem();
    }

    @Override
    public String kind() {
        return "in-process";
    }

    private Optional<String> get(String key) {
        Expiring value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.live(Instant.now())) {
            values.remove(key, value);
            return Optional.empty();
        }
        return Optional.of(value.value());
    }

    private Uni<Void> saveSession() {
        if (sessionFile.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<String, Map<String, String>> overrides = new java.util.TreeMap<>();
        Instant now = Instant.now();
        values.forEach((key, value) -> {
            if (key.startsWith(KEY_PREFIX + "active:") && value.live(now)) {
                overrides.put(key, Map.of("organizationId", value.value(), "expires", value.expires().toString()));
            }
        });
        return Uni.createFrom().<Void> item(() -> {
            write(sessionFile.get(), overrides);
            return null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private synchronized void write(Path file, Map<String, Map<String, String>> overrides) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temporary = Files.createTempFile(parent, ".session", ".tmp");
            mapper.writeValue(temporary.toFile(), overrides);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (!sessionFileWarned) {
                sessionFileWarned = true;
                LOG.warnf("Organization overrides are kept in memory only: the session file %s cannot be written (%s)",
                        file, e.getClass().getSimpleName());
            }
        }
    }

    private void load(Path file) {
        if (!Files.isReadable(file)) {
            return;
        }
        try {
            Map<String, Map<String, String>> overrides = mapper.readValue(file.toFile(), new TypeReference<>() {
            });
            Instant now = Instant.now();
            overrides.forEach((key, entry) -> {
                Instant expires = Instant.parse(entry.get("expires"));
                if (key.startsWith(KEY_PREFIX + "active:") && expires.isAfter(now)) {
                    values.put(key, new Expiring(entry.get("organizationId"), expires));
                }
            });
        } catch (IOException | RuntimeException e) {
            LOG.warnf("The session file %s is unreadable and was ignored (%s)", file, e.getClass().getSimpleName());
        }
    }
}
