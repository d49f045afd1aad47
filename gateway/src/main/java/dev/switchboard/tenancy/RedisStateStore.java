package dev.switchboard.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import dev.switchboard.observability.GatewayMetrics;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * The state store on Redis (standalone, Sentinel or Cluster, by configuration). Keys carry the principal as a hash tag,
 * {@code mcp:active:{<principal>}}, so that every value of one principal lives in one cluster slot and one script
 * reads them all.
 * <p>
 * The store's generation ({@code mcp:epoch}) is checked in the same round trip: a replica that knew a generation and
 * finds another (or none) knows that the store lost its data, for example a Redis restarted without persistence, and
 * records when; every replica then sees that moment and fails closed for principals whose switch may have been lost.
 * One Lua function does that check for both scripts. Scripts go by their SHA1 ({@code EVALSHA}), loaded on first use
 * and again after a Redis restart.
 * <p>
 * A Redis that keeps failing to answer within MCP_STATE_TIMEOUT_MILLIS (three commands in a row) is taken as down: for
 * a second after that, commands fail at once instead of each waiting out the timeout, then one goes through to see
 * whether it is back. A call therefore waits at most one timeout.
 */
final class RedisStateStore implements StateStore {

    private static final Logger LOG = Logger.getLogger(RedisStateStore.class);
    /** How long commands fail at once after Redis did not answer, before one is let through to try again. */
    private static final long PAUSE_NANOS = Duration.ofSeconds(1).toNanos();
    /** Commands in a row that must fail before Redis is taken as down: one slow answer is not an outage. */
    private static final int FAILURES_TO_PAUSE = 3;

    /** The store's generation and whether it lost its data recently: shared by both scripts below. */
    private static final String GENERATION = """
            local function now_ms()
              local t = redis.call('TIME')
              return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            end
            local function generation(epoch_key, known, candidate, window, now)
              local epoch, lost_at = unpack(redis.call('HMGET', epoch_key, 'id', 'lostDataAt'))
              if not epoch then
                epoch = candidate
                redis.call('HSET', epoch_key, 'id', epoch)
                if known ~= '' then
                  lost_at = tostring(now)
                  redis.call('HSET', epoch_key, 'lostDataAt', lost_at)
                end
              elseif known ~= '' and known ~= epoch and not lost_at then
                lost_at = tostring(now)
                redis.call('HSET', epoch_key, 'lostDataAt', lost_at)
              end
              if lost_at and now - tonumber(lost_at) >= tonumber(window) then
                lost_at = false
              end
              return epoch, lost_at
            end
            """;

    /**
     * A rate-limit token (Redis's own clock, so that replicas agree), the generation unless it lives in another slot,
     * and the requested values. KEYS: bucket, [generation], fields...; ARGV: per minute, with generation (1/0), known
     * generation, candidate generation, loss window.
     */
    private static final String ADMIT = GENERATION + """
            local per_minute = tonumber(ARGV[1])
            local now = now_ms()
            local allowed = 1
            local retry_ms = 0
            if per_minute > 0 then
              local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
              local tokens = tonumber(state[1])
              local ts = tonumber(state[2])
              if tokens == nil or ts == nil then
                tokens = per_minute
                ts = now
              end
              local rate = per_minute / 60000
              tokens = math.min(per_minute, tokens + math.max(0, now - ts) * rate)
              if tokens >= 1 then
                tokens = tokens - 1
              else
                allowed = 0
                retry_ms = math.ceil((1 - tokens) / rate)
              end
              redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
              redis.call('PEXPIRE', KEYS[1], 120000)
            end
            local epoch = false
            local lost_at = false
            local first = 2
            if ARGV[2] == '1' then
              epoch, lost_at = generation(KEYS[2], ARGV[3], ARGV[4], ARGV[5], now)
              first = 3
            end
            local answer = {allowed, retry_ms, epoch, lost_at}
            for i = first, #KEYS do
              answer[#answer + 1] = redis.call('GET', KEYS[i])
            end
            return answer
            """;

    /**
     * The generation alone, for Redis Cluster, where it lives in a slot of its own. A Cluster node can also lose its
     * data alone: the generation's node therefore also remembers which confirmed values were written (until when), so
     * that one missing from the principal's own node shows as lost rather than as never written. KEYS: generation;
     * ARGV: known, candidate, loss window, then the remembered names to look up.
     */
    private static final String EPOCH = GENERATION + """
            local now = now_ms()
            local epoch, lost_at = generation(KEYS[1], ARGV[1], ARGV[2], ARGV[3], now)
            local answer = {epoch, lost_at}
            for i = 4, #ARGV do
              local until_ms = redis.call('HGET', KEYS[1], ARGV[i])
              if until_ms and tonumber(until_ms) > now then
                answer[#answer + 1] = until_ms
              else
                if until_ms then
                  redis.call('HDEL', KEYS[1], ARGV[i])
                end
                answer[#answer + 1] = false
              end
            end
            return answer
            """;

    /** How Redis is deployed, which decides how a loss of data can be seen and how a value is confirmed. */
    enum Topology {
        STANDALONE,
        SENTINEL,
        CLUSTER
    }

    private final ReactiveRedisDataSource redis;
    private final Duration timeout;
    private final Topology topology;
    private final GatewayMetrics metrics;
    private final Script admit = new Script(ADMIT);
    private final Script epochCheck = new Script(EPOCH);
    private volatile String knownEpoch = "";
    private volatile String lastLossSeen = "";
    /** Until when commands fail at once (System.nanoTime()); 0 while Redis answers. */
    private volatile long downUntil;
    private final AtomicInteger failuresInARow = new java.util.concurrent.atomic.AtomicInteger();

    RedisStateStore(ReactiveRedisDataSource redis, Duration timeout, Topology topology, GatewayMetrics metrics) {
        this.redis = redis;
        this.timeout = timeout;
        this.topology = topology;
        this.metrics = metrics;
    }

    /** {@code mcp:<field>:{<principal>}}: the principal is the hash tag, so that its values share a slot. */
    private static String tagged(Field field, String principal) {
        return field.key("{" + principal + "}");
    }

    /** The generation's note that a confirmed value exists (Cluster). */
    private static String remembered(Field field, String principal) {
        return "s:" + field.name() + ":" + principal;
    }

    @Override
    public Uni<Snapshot> admit(String principal, int perMinute, Duration lossWindow, List<Field> fields) {
        String candidate = UUID.randomUUID().toString();
        String window = String.valueOf(lossWindow.toMillis());
        List<String> keys = new ArrayList<>(fields.size() + 2);
        keys.add(tagged(Field.RATE_LIMIT, principal));
        if (topology != Topology.CLUSTER) {
            keys.add(EPOCH_KEY);
            fields.forEach(field -> keys.add(tagged(field, principal)));
            return guard(run(admit, keys, List.of(String.valueOf(perMinute), "1", knownEpoch, candidate, window)))
                    .map(response -> snapshot(response, fields, response.get(2), response.get(3)));
        }
        fields.forEach(field -> keys.add(tagged(field, principal)));
        List<Field> confirmed = fields.stream().filter(Field::confirmed).toList();
        List<String> epochArguments = new ArrayList<>(List.of(knownEpoch, candidate, window));
        confirmed.forEach(field -> epochArguments.add(remembered(field, principal)));
        // both scripts are sent at once: one round trip of latency, two slots
        Uni<Response> call = run(admit, keys, List.of(String.valueOf(perMinute), "0", "", candidate, window));
        Uni<Response> generation = run(epochCheck, List.of(EPOCH_KEY), epochArguments);
        return guard(Uni.combine().all().unis(call, generation).asTuple()).map(both -> {
            Response epoch = both.getItem2();
            Snapshot snapshot = snapshot(both.getItem1(), fields, epoch.get(0), epoch.get(1));
            boolean lostOnItsNode = false;
            for (int i = 0; i < confirmed.size(); i++) {
                lostOnItsNode |= text(epoch.get(2 + i)).isPresent() && snapshot.get(confirmed.get(i)).isEmpty();
            }
            if (lostOnItsNode && snapshot.storeLostDataAt().isEmpty()) {
                // the generation's node remembers a value that the principal's own node no longer has: that node lost it
                metrics.stateStoreReset();
                LOG.warn("A Redis Cluster node lost an organization switch (restarted without its data): the key must "
                        + "switch again or pin an organization");
                return new Snapshot(snapshot.allowed(), snapshot.retryAfter(), snapshot.values(), Optional.of(Instant.now()));
            }
            return snapshot;
        });
    }

    private Snapshot snapshot(Response response, List<Field> fields, Response epoch, Response lostAt) {
        text(epoch).ifPresent(id -> knownEpoch = id);
        Optional<Instant> lost = text(lostAt).map(millis -> Instant.ofEpochMilli(Long.parseLong(millis)));
        lost.ifPresent(at -> {
            String seen = at.toString();
            if (!seen.equals(lastLossSeen)) {
                lastLossSeen = seen;
                metrics.stateStoreReset();
                LOG.warnf("The organization state store lost its data at %s (Redis restarted without it): keys that could "
                        + "have switched organization must switch again or pin one", at);
            }
        });
        Map<Field, String> values = new HashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            Field field = fields.get(i);
            text(response.get(4 + i)).ifPresent(value -> values.put(field, value));
        }
        return new Snapshot(response.get(0).toInteger() == 1, Duration.ofMillis(response.get(1).toLong()), values, lost);
    }

    @Override
    public Uni<Optional<String>> read(String principal, Field field) {
        return guard(redis.execute("GET", tagged(field, principal))).map(RedisStateStore::text);
    }

    @Override
    public Uni<Optional<Duration>> remaining(String principal, Field field) {
        return guard(redis.execute("PTTL", tagged(field, principal)))
                .map(response -> response.toLong() > 0 ? Optional.of(Duration.ofMillis(response.toLong())) : Optional.empty());
    }

    @Override
    public Uni<Void> write(String principal, Field field, String value, Duration ttl) {
        return guard(confirmed(field, principal, ttl, redis.execute("SET", tagged(field, principal), value, "PX",
                String.valueOf(Math.max(1, ttl.toMillis()))))).replaceWithVoid();
    }

    @Override
    public Uni<Boolean> writeIfAbsent(String principal, Field field, String value, Duration ttl) {
        Uni<Response> set = redis.execute("SET", tagged(field, principal), value, "PX",
                String.valueOf(Math.max(1, ttl.toMillis())), "NX");
        return guard(set.flatMap(response -> response == null ? Uni.createFrom().item(false)
                : confirmed(field, principal, ttl, Uni.createFrom().item(response)).replaceWith(true)));
    }

    /**
     * A confirmed value is acknowledged only once the loss of the node that took it would show: on Sentinel a replica
     * has it (a failover right after would otherwise lose it silently); on Cluster the generation's node remembers it.
     */
    private Uni<Response> confirmed(Field field, String principal, Duration ttl, Uni<Response> write) {
        if (!field.confirmed()) {
            return write;
        }
        if (topology == Topology.CLUSTER) {
            return redis.execute("HSET", EPOCH_KEY, remembered(field, principal),
                    String.valueOf(System.currentTimeMillis() + ttl.toMillis())).flatMap(ignored -> write);
        }
        if (topology == Topology.SENTINEL) {
            // WAIT gets half the state timeout so that it answers (with 0 replicas) before the command as a whole times out:
            // the master took the write then, and only the replica's acknowledgement is missing
            return write.flatMap(written -> redis.execute("WAIT", "1", String.valueOf(Math.max(1, timeout.toMillis() / 2)))
                    .onFailure().transform(StateStoreUnavailable.Unconfirmed::new)
                    .map(replicas -> {
                        if (replicas.toInteger() < 1) {
                            throw new StateStoreUnavailable.Unconfirmed(null);
                        }
                        return written;
                    }));
        }
        return write;
    }

    @Override
    public Uni<Void> delete(String principal, Field field) {
        Uni<Response> delete = redis.execute("DEL", tagged(field, principal));
        if (topology == Topology.CLUSTER && field.confirmed()) {
            delete = delete.flatMap(ignored -> redis.execute("HDEL", EPOCH_KEY, remembered(field, principal)));
        }
        return guard(delete).replaceWithVoid();
    }

    @Override
    public Uni<Void> ping() {
        return guard(redis.execute("PING")).replaceWithVoid();
    }

    @Override
    public String kind() {
        return "redis";
    }

    /** EVALSHA, and EVAL (which loads the script) when this Redis does not know it yet. */
    private Uni<Response> run(Script script, List<String> keys, List<String> arguments) {
        return redis.execute("EVALSHA", script.arguments(script.sha, keys, arguments))
                .onFailure(failure -> String.valueOf(failure.getMessage()).startsWith("NOSCRIPT"))
                .recoverWithUni(() -> redis.execute("EVAL", script.arguments(script.source, keys, arguments)));
    }

    /**
     * Bounds a command by the state timeout; once Redis is taken as down, fails the next ones at once for a second
     * (then lets one through to see whether Redis is back), so that a paused Redis costs each call at most one timeout.
     */
    private <T> Uni<T> guard(Uni<T> command) {
        return Uni.createFrom().deferred(() -> {
            long until = downUntil;
            long now = System.nanoTime();
            if (until != 0) {
                if (now - until < 0) {
                    return Uni.createFrom().failure(new StateStoreUnavailable(null));
                }
                downUntil = now + PAUSE_NANOS; // this command tries; the others keep failing at once meanwhile
            }
            return command.ifNoItem().after(timeout).fail()
                    .invoke(() -> {
                        failuresInARow.set(0);
                        downUntil = 0;
                    })
                    .onFailure().transform(failure -> {
                        if (failure instanceof StateStoreUnavailable.Unconfirmed unconfirmed) {
                            return unconfirmed; // Redis answered: not an outage
                        }
                        if (failuresInARow.incrementAndGet() >= FAILURES_TO_PAUSE) {
                            downUntil = System.nanoTime() + PAUSE_NANOS;
                        }
                        return new StateStoreUnavailable(failure);
                    });
        });
    }

    private static Optional<String> text(Response response) {
        return response == null ? Optional.empty() : Optional.ofNullable(response.toString());
    }

    /** A Lua script and its SHA1. */
    private record Script(String source, String sha) {

        Script(String source) {
            this(source, sha1(source));
        }

        String[] arguments(String scriptOrSha, List<String> keys, List<String> arguments) {
            List<String> all = new ArrayList<>(2 + keys.size() + arguments.size());
            all.add(scriptOrSha);
            all.add(String.valueOf(keys.size()));
            all.addAll(keys);
            all.addAll(arguments);
            return all.toArray(String[]::new);
        }

        private static String sha1(String source) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
