package dev.switchboard.config;

import java.util.Optional;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Whether replicas share state through Redis (REDIS_URL, or quarkus.redis.hosts, is set) and in which topology. The
 * state store and the replica bus both decide by it.
 */
@Singleton
public class RedisSettings {

    private final boolean configured;
    private final boolean cluster;
    private final boolean sentinel;

    RedisSettings(@ConfigProperty(name = "quarkus.redis.hosts") Optional<String> hosts,
            @ConfigProperty(name = "quarkus.redis.client-type") Optional<String> clientType) {
        this.configured = hosts.filter(h -> !h.isBlank()).isPresent();
        this.cluster = clientType.filter(type -> type.trim().equalsIgnoreCase("cluster")).isPresent();
        this.sentinel = clientType.filter(type -> type.trim().equalsIgnoreCase("sentinel")).isPresent();
    }

    /** Replicas share organization state (and messages) through Redis. */
    public boolean configured() {
        return configured;
    }

    /** Redis Sentinel: a master with replicas, which may fail over. */
    public boolean sentinel() {
        return sentinel;
    }

    /** Redis Cluster: keys of one call must share a hash slot. */
    public boolean cluster() {
        return cluster;
    }
}
