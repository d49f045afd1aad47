package dev.switchboard.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Short timeouts, quick retries, a small circuit window and a tiny bulkhead, so that fault tests run in seconds. */
public class ResilienceProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("mcp.request-timeout-seconds", "1"),
                Map.entry("mcp.retry.max-retries", "3"),
                Map.entry("mcp.retry.delay-ms", "50"),
                Map.entry("mcp.retry.max-delay-ms", "200"),
                Map.entry("mcp.retry.max-duration-seconds", "10"),
                Map.entry("mcp.retry.max-retry-after-seconds", "2"),
                Map.entry("mcp.circuit.request-volume", "8"),
                Map.entry("mcp.circuit.failure-ratio", "0.75"),
                Map.entry("mcp.circuit.delay-seconds", "2"),
                Map.entry("mcp.circuit.success-threshold", "1"),
                Map.entry("mcp.bulkhead.concurrency", "2"),
                Map.entry("mcp.bulkhead.queue", "1"));
    }
}
