package dev.switchboard.tenancy;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.switchboard.config.GatewayConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;

/** Chooses the state store: Redis when hosts are configured (REDIS_URL), the in-process store otherwise. */
@ApplicationScoped
class StateStores {

    @Produces
    @ApplicationScoped
    StateStore stateStore(GatewayConfig config, Instance<ReactiveRedisDataSource> redis,
            @ConfigProperty(name = "quarkus.redis.hosts") Optional<String> hosts) {
        if (hosts.filter(h -> !h.isBlank()).isPresent()) {
            return new RedisStateStore(redis.get(), Duration.ofMillis(config.stateTimeoutMillis()));
        }
        return new InProcessStateStore(config.sessionFile());
    }
}
