package dev.switchboard.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The state store on the real Redis of the machine (database 5, flushed by the tests), with short TTLs. */
public class RedisProfile implements QuarkusTestProfile {

    public static final String REDIS = "redis://127.0.0.1:6379/5";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.redis.hosts", REDIS,
                "mcp.identity-cache-seconds", "1",
                "mcp.override-ttl-seconds", "3",
                "mcp.rate-limit-per-minute", "40");
    }
}
