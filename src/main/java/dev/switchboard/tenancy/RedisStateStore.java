package dev.switchboard.tenancy;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * The state store on Redis (standalone, Sentinel or Cluster, by configuration). Keys carry the key hash as a hash tag,
 * {@code mcp:active:{<hash>}}, so that the three keys of a call live in one cluster slot and one script reads them all.
 */
final class RedisStateStore implements StateStore {

    /** Takes a token (Redis's own clock, so replicas agree) and reads identity and override in one round trip. */
    private static final String ADMIT = """
            local per_minute = tonumber(ARGV[1])
            local allowed = 1
            local retry_ms = 0
            if per_minute > 0 then
              local t = redis.call('TIME')
              local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
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
            return {allowed, retry_ms, redis.call('GET', KEYS[2]), redis.call('GET', KEYS[3])}
            """;

    private final ReactiveRedisDataSource redis;
    private final Duration timeout;

    RedisStateStore(ReactiveRedisDataSource redis, Duration timeout) {
        this.redis = redis;
        this.timeout = timeout;
    }

    private static String tagged(String key) {
        int last = key.lastIndexOf(':');
        return key.substring(0, last + 1) + "{" + key.substring(last + 1) + "}";
    }

    @Override
    public Uni<Admission> admit(String keyHash, int perMinute) {
        return guard(redis.execute("EVAL", ADMIT, "3", tagged(StateStore.rateLimitKey(keyHash)),
                tagged(StateStore.identityKey(keyHash)), tagged(StateStore.activeKey(keyHash)), String.valueOf(perMinute)))
                .map(response -> new Admission(response.get(0).toInteger() == 1, Duration.ofMillis(response.get(1).toLong()),
                        text(response.get(2)), text(response.get(3))));
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
        return guard(redis.execute("SET", tagged(StateStore.activeKey(keyHash)), organizationId, "PX",
                String.valueOf(ttl.toMillis()))).replaceWithVoid();
    }

    @Override
    public Uni<Void> clearActiveOrganization(String keyHash) {
        return guard(redis.execute("DEL", tagged(StateStore.activeKey(keyHash)))).replaceWithVoid();
    }

    @Override
    public Uni<Void> ping() {
        return guard(redis.execute("PING")).replaceWithVoid();
    }

    @Override
    public String kind() {
        return "redis";
    }

    private Uni<Response> guard(Uni<Response> command) {
        return command.ifNoItem().after(timeout).fail()
                .onFailure().transform(StateStoreUnavailable::new);
    }

    private static Optional<String> text(Response response) {
        return response == null ? Optional.empty() : Optional.ofNullable(response.toString());
    }
}
