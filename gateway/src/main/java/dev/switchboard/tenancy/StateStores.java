package dev.switchboard.tenancy;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.RedisSettings;
import dev.switchboard.observability.GatewayMetrics;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;

/** Chooses the state store: Redis when hosts are configured (REDIS_URL), the in-process store otherwise. */
@ApplicationScoped
class StateStores {

    @Produces
    @ApplicationScoped
    StateStore stateStore(GatewayConfig config, RedisSettings redisSettings, Instance<ReactiveRedisDataSource> redis,
            GatewayMetrics metrics) {
        if (redisSettings.configured()) {
            RedisStateStore.Topology topology = redisSettings.cluster() ? RedisStateStore.Topology.CLUSTER
                    : redisSettings.sentinel() ? RedisStateStore.Topology.SENTINEL : RedisStateStore.Topology.STANDALONE;
            return new RedisStateStore(redis.get(), Duration.ofMillis(config.stateTimeoutMillis()), topology, metrics);
        }
        return new InProcessStateStore(config.sessionFile());
    }
}
