package dev.switchboard.mcp;

import java.util.Set;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * The MCP library labels its request metrics with whatever tool name a client sends; unknown names are folded into
 * "unknown" so that no client can grow the number of series without bound.
 */
@Singleton
class ToolNameMetricFilter {

    private static final String TAG = "tool.name";

    /** Filled once the tools are registered; read by the filter. Kept free of dependencies: the registry needs it early. */
    private volatile Set<String> known = Set.of();

    void known(Set<String> names) {
        this.known = Set.copyOf(names);
    }

    @Produces
    @Singleton
    MeterFilter boundToolNames() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String name = id.getTag(TAG);
                if (name == null || !id.getName().startsWith("mcp.server") || known.contains(name)) {
                    return id;
                }
                return id.replaceTags(id.getTags().stream()
                        .map(tag -> tag.getKey().equals(TAG) ? Tag.of(TAG, "unknown") : tag).toList());
            }
        };
    }
}
