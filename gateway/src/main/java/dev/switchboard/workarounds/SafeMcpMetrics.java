package dev.switchboard.workarounds;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkiverse.mcp.server.McpMethod;
import io.quarkiverse.mcp.server.runtime.McpMetrics;
import io.quarkiverse.mcp.server.runtime.McpRequest;
import io.vertx.core.json.JsonObject;

/**
 * The MCP library's request metrics (mcp_server_requests_*), with the same names, made safe: the tool_name label takes
 * only names of registered tools (anything else is "unknown"), so that no client can grow the number of series, and a
 * malformed message can never make the metrics code throw (the library's own fails on params that are not an object
 * or a missing name, which turned bad requests into HTTP 500s). Replaces the library's bean.
 */
@LibraryWorkaround(entry = 5)
@Alternative
@Priority(10)
@ApplicationScoped
public class SafeMcpMetrics implements McpMetrics {

    private final MeterRegistry registry;
    private final Map<McpMethod, String> names = new EnumMap<>(McpMethod.class);
    private volatile Set<String> known = Set.of();

    public SafeMcpMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (McpMethod method : McpMethod.values()) {
            names.put(method, "mcp.server.requests." + method.jsonRpcName().replace("/", "."));
        }
    }

    /** The registered tool names, the only values the tool_name label takes. */
    public void known(Set<String> toolNames) {
        this.known = Set.copyOf(toolNames);
    }

    @Override
    public <T> void createMcpConnectionsGauge(T connections, ToDoubleFunction<T> size) {
        registry.gauge("mcp.server.connections.active", connections, size);
    }

    @Override
    public void mcpRequestCompleted(McpMethod method, JsonObject message, McpRequest request, long durationNanos,
            Throwable failure) {
        if (method == null) {
            return;
        }
        Tags tags = Tags.of("mcp.server", request == null || request.serverName() == null ? "-" : request.serverName(),
                "failure", failure == null ? "none" : "error");
        if (method == McpMethod.TOOLS_CALL) {
            Object params = message == null ? null : message.getValue("params");
            Object name = params instanceof JsonObject object ? object.getValue("name") : null;
            tags = tags.and("tool.name", name instanceof String text && known.contains(text) ? text : "unknown");
        }
        Timer.builder(names.get(method)).tags(tags).register(registry).record(durationNanos, TimeUnit.NANOSECONDS);
    }
}
