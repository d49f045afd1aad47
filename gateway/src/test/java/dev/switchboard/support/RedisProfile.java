package dev.switchboard.support;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The state store on a Redis server of this profile's own, with short TTLs. */
public class RedisProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mcp.identity-cache-seconds", "1",
                "mcp.override-ttl-seconds", "3",
                "mcp.rate-limit-per-minute", "40");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(OwnRedis.class));
    }
}
