package dev.switchboard.tenancy;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
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
 * configured, and as the rate limiter of last resort when Redis is down. Optionally keeps the confirmed values (the
 * organization switches) in a session file, so that a stdio client's switch survives the process restarts such
 * clients do.
 */
final class InProcessStateStore implements StateStore {

    private static final Logger LOG = Logger.getLogger(InProcessStateStore.class);

    private record Expiring(String value, Instant expires) {
        boolean live(Instant now) {
            return expires.isAfter(now);
        }
    }

    /** What the session file keeps: the organization switches, the only choices a user made. */
    private static final String ACTIVE_PREFIX = Field.ACTIVE_ORGANIZATION.key("");

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
    public Uni<Snapshot> admit(String principal, int perMinute, Duration lossWindow, List<Field> fields) {
        // the store lives and dies with this process: it cannot lose data behind the gateway's back
        Duration retryAfter = take(principal, perMinute);
        Map<Field, String> found = new HashMap<>();
        for (Field field : fields) {
            get(field.key(principal)).ifPresent(value -> found.put(field, value));
        }
        return Uni.createFrom().item(new Snapshot(retryAfter.isZero(), retryAfter, found, Optional.empty()));
    }

    Duration take(String principal, int perMinute) {
        if (perMinute <= 0) {
            return Duration.ZERO;
        }
        long now = System.currentTimeMillis();
        if (buckets.size() > 10_000) {
            buckets.values().removeIf(bucket -> bucket.idleSince(now - 120_000));
        }
        return buckets.computeIfAbsent(principal, k -> new TokenBucket(perMinute, now)).take(perMinute, now);
    }

    @Override
    public Uni<Optional<String>> read(String principal, Field field) {
        return Uni.createFrom().item(get(field.key(principal)));
    }

    @Override
    public Uni<Optional<Duration>> remaining(String principal, Field field) {
        Expiring value = values.get(field.key(principal));
        Instant now = Instant.now();
        return Uni.createFrom().item(value == null || !value.live(now) ? Optional.empty()
                : Optional.of(Duration.between(now, value.expires())));
    }

    @Override
    public Uni<Void> write(String principal, Field field, String value, Duration ttl) {
        values.put(field.key(principal), new Expiring(value, Instant.now().plus(ttl)));
        return field.confirmed() ? saveSession() : Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Boolean> writeIfAbsent(String principal, Field field, String value, Duration ttl) {
        Instant now = Instant.now();
        Expiring fresh = new Expiring(value, now.plus(ttl));
        Expiring kept = values.compute(field.key(principal), (key, old) -> old != null && old.live(now) ? old : fresh);
        if (kept != fresh) {
            return Uni.createFrom().item(false);
        }
        return (field.confirmed() ? saveSession() : Uni.createFrom().voidItem()).replaceWith(true);
    }

    @Override
    public Uni<Void> delete(String principal, Field field) {
        boolean removed = values.remove(field.key(principal)) != null;
        return removed && field.confirmed() ? saveSession() : Uni.createFrom().voidItem();
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
            if (key.startsWith(ACTIVE_PREFIX) && value.live(now)) {
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
                if (key.startsWith(ACTIVE_PREFIX) && expires.isAfter(now)) {
                    values.put(key, new Expiring(entry.get("organizationId"), expires));
                }
            });
        } catch (IOException | RuntimeException e) {
            LOG.warnf("The session file %s is unreadable and was ignored (%s)", file, e.getClass().getSimpleName());
        }
    }
}
