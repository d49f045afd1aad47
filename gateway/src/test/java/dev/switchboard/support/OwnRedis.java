package dev.switchboard.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The state store of a test profile: a Redis server of the profile's own (never the machine's), which a test can stop
 * and start again to see what the gateway does when its store goes away or comes back empty.
 */
public class OwnRedis implements QuarkusTestResourceLifecycleManager {

    private static volatile RedisServer server;

    @Override
    public Map<String, String> start() {
        server = RedisServer.start();
        return Map.of("quarkus.redis.hosts", server.url());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The running profile's server. */
    public static RedisServer server() {
        if (server == null) {
            throw new IllegalStateException("no OwnRedis test resource is active in this profile");
        }
        return server;
    }
}
