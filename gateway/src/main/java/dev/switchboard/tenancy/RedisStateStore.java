package dev.switchboard.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jboss.logging.Logger;

import dev.switchboard.observability.GatewayMetrics;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * The state store on Redis (standalone, Sentinel or Cluster, by configuration). Keys carry the key hash as a hash tag,
 * {@code mcp:active:{<hash>}}, so that the three keys of a call live in one cluster slot and one script reads them all.
 * <p>
 * The store's generation ({@code mcp:epoch}) is checked in the same round trip: a replica that knew a generation and
 * finds another (or none) knows that the store lost its data, for example a Redis restarted without persistence, and
 * records when; every replica then sees that moment and fails closed for keys whose switch may have been lost. Scripts
 * go by their SHA1 ({@code EVALSHA}), loaded on first use and again after a Redis restart.
 */
final class RedisStateStore implements StateStore {

    private static final Logger LOG = Logger.getLogger(RedisStateStore.class);

    /** A rate-limit token (Redis's own clock, so that replicas agree), the cached identity and the override. */
    private static final String ADMIT = """
            local per_minute = tonumber(ARGV[1])
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
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
            if #KEYS >= 4 then
              epoch, lost_at = unpack(redis.call('HMGET', KEYS[4], 'id', 'lostDataAt'))
              if not epoch then
                epoch = ARGV[3]
                redis.call('HSET', KEYS[4], 'id', epoch)
                if ARGV[2] ~= '' then
                  lost_at = tostring(now)
                  redis.call('HSET', KEYS[4], 'lostDataAt', lost_at)
                end
              elseif ARGV[2] ~= '' and ARGV[2] ~= epoch and not lost_at then
                lost_at = tostring(now)
                redis.call('HSET', KEYS[4], 'lostDataAt', lost_at)
              end
              if lost_at and now - tonumber(lost_at) >= tonumber(ARGV[4]) then
                lost_at = false
              end
            end
            return {allowed, retry_ms, redis.call('GET', KEYS[2]), redis.call('GET', KEYS[3]), epoch, lost_at}
            """;

    /**
     * The generation check alone, for Redis Cluster, where the generation key lives in a slot of its own. A Cluster
     * node can also lose its data alone: the generation's node therefore also remembers which keys switched (until when),
     * so that a switch missing from the key's own node shows as lost rather than as never made.
     */
    private static final String EPOCH = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local epoch, lost_at = unpack(redis.call('HMGET', KEYS[1], 'id', 'lostDataAt'))
            if not epoch then
              epoch = ARGV[2]
              redis.call('HSET', KEYS[1], 'id', epoch)
              if ARGV[1] ~= '' then
                lost_at = tostring(now)
                redis.call('HSET', KEYS[1], 'lostDataAt', lost_at)
              end
            elseif ARGV[1] ~= '' and ARGV[1] ~= epoch and not lost_at then
              lost_at = tostring(now)
              redis.call('HSET', KEYS[1], 'lostDataAt', lost_at)
            end
            if lost_at and now - tonumber(lost_at) >= tonumber(ARGV[3]) then
              lost_at = false
            end
            local switched = false
            if ARGV[4] ~= '' then
              local until_ms = redis.call('HGET', KEYS[1], 's:' .. ARGV[4])
              if until_ms and tonumber(until_ms) > now then
                switched = until_ms
              elseif until_ms then
                redis.call('HDEL', KEYS[1], 's:' .. ARGV[4])
              end
            end
            return {epoch, lost_at, switched}
            """;

    private final ReactiveRedisDataSource redis;
    private final Duration timeout;
    /** How Redis is deployed, which decides how a loss of data can be seen and how a switch is made durable. */
    enum Topology {
        STANDALONE,
        SENTINEL,
        CLUSTER
    }

    private final Topology topology;
    private final GatewayMetrics metrics;
    private final Script admit = new Script(ADMIT);
    private final Script epochCheck = new Script(EPOCH);
    private volatile String knownEpoch = "";
    private volatile String lastLossSeen = "";

    RedisStateStore(ReactiveRedisDataSource redis, Duration timeout, Topology topology, GatewayMetrics metrics) {
        this.redis = redis;
        this.timeout = timeout;
        this.topology = topology;
        this.metrics = metrics;
    }

    private static String tagged(String key) {
        int last = key.lastIndexOf(':');
        return key.substring(0, last + 1) + "{" + key.substring(last + 1) + "}";
    }

    @Override
    public Uni<Admission> admit(String keyHash, int perMinute, Duration overrideTtl) {
        String candidate = UUID.randomUUID().toString();
        String ttl = String.valueOf(overrideTtl.toMillis());
        List<String> keys = new ArrayList<>(List.of(tagged(StateStore.rateLimitKey(keyHash)),
                tagged(StateStore.identityKey(keyHash)), tagged(StateStore.activeKey(keyHash))));
        if (topology != Topology.CLUSTER) {
            keys.add(EPOCH_KEY);
            return guard(run(admit, keys, List.of(String.valueOf(perMinute), knownEpoch, candidate, ttl)))
                    .map(response -> admission(response, response.get(4), response.get(5)));
        }
        // both scripts are sent at once: one round trip of latency, two slots
        Uni<Response> call = run(admit, keys, List.of(String.valueOf(perMinute), "", candidate, ttl));
        Uni<Response> generation = run(epochCheck, List.of(EPOCH_KEY), List.of(knownEpoch, candidate, ttl, keyHash));
        return guard(Uni.combine().all().unis(call, generation).asTuple()).map(both -> {
            Admission admission = admission(both.getItem1(), both.getItem2().get(0), both.getItem2().get(1));
            boolean remembered = both.getItem2().size() > 2 && text(both.getItem2().get(2)).isPresent();
            if (remembered && admission.activeOrganization().isEmpty() && admission.storeLostDataAt().isEmpty()) {
                // the generation's node remembers a switch that the key's own node no longer has: that node lost its data
                metrics.stateStoreReset();
                LOG.warn("A Redis Cluster node lost an organization switch (restarted without its data): the key must "
                        + "switch again or pin an organization");
                return new Admission(admission.allowed(), admission.retryAfter(), admission.identity(),
                        admission.activeOrganization(), Optional.of(Instant.now()));
            }
            return admission;
        });
    }

    private Admission admission(Response response, Response epoch, Response lostAt) {
        Optional<String> generation = text(epoch);
        generation.ifPresent(id -> knownEpoch = id);
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
        return new Admission(response.get(0).toInteger() == 1, Duration.ofMillis(response.get(1).toLong()),
                text(response.get(2)), text(response.get(3)), lost);
    }

    @Override
    public Uni<Void> cacheIdentity(String keyHash, String identityJson, Duration ttl) {
        return guard(redis.execute("SET", tagged(StateStore.identityKey(keyHash)), identityJson, "PX",
                String.valueOf(Math.max(1, ttl.toMillis())))).replaceWithVoid();
    }

    @Override
    public Uni<Void> forgetIdentity(String keyHash) {
        return guard(redis.execute("DEL", tagged(StateStore.identityKey(keyHash)))).replaceWithVoid();
    }

    @Override
    public Uni<Void> setActiveOrganization(String keyHash, String organizationId, Duration ttl) {
        Uni<Response> set = redis.execute("SET", tagged(StateStore.activeKey(keyHash)), organizationId, "PX",
                String.valueOf(ttl.toMillis()));
        if (topology == Topology.CLUSTER) {
            // remembered on the generation's node too, so that the loss of the key's node shows (see admit)
            set = redis.execute("HSET", EPOCH_KEY, "s:" + keyHash, String.valueOf(System.currentTimeMillis() + ttl.toMillis()))
                    .flatMap(ignored -> redis.execute("SET", tagged(StateStore.activeKey(keyHash)), organizationId, "PX",
                            String.valueOf(ttl.toMillis())));
        } else if (topology == Topology.SENTINEL) {
            // acknowledged only once a replica has it: a failover right after would otherwise lose the switch silently
            set = set.flatMap(ignored -> redis.execute("WAIT", "1", String.valueOf(timeout.toMillis())))
                    .invoke(replicas -> {
                        if (replicas.toInteger() < 1) {
                            throw new IllegalStateException("no replica confirmed the switch");
                        }
                    });
        }
        return guard(set).replaceWithVoid();
    }

    @Override
    public Uni<Void> clearActiveOrganization(String keyHash) {
        Uni<Response> clear = redis.execute("DEL", tagged(StateStore.activeKey(keyHash)));
        if (topology == Topology.CLUSTER) {
            clear = clear.flatMap(ignored -> redis.execute("HDEL", EPOCH_KEY, "s:" + keyHash));
        }
        return guard(clear).replaceWithVoid();
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

    private <T> Uni<T> guard(Uni<T> command) {
        return command.ifNoItem().after(timeout).fail()
                .onFailure().transform(StateStoreUnavailable::new);
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
