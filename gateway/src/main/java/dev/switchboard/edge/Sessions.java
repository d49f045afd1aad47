package dev.switchboard.edge;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.observability.GatewayMetrics;
import io.quarkiverse.mcp.server.runtime.ConnectionManager;
import io.quarkus.runtime.StartupEvent;
import io.vertx.ext.web.RoutingContext;

/**
 * Bounds the MCP sessions (initialize) a client address may hold, and all clients together, so that key-less
 * initialize floods cannot grow memory without end. A client over its own bound loses its oldest session (its next
 * request there answers 404 "initialize a new session"); when the server holds its total, initialize answers a
 * JSON-RPC error saying so, and calls without a session still work. Unused sessions close after
 * MCP_LIMITS_SESSION_IDLE_SECONDS.
 */
@Singleton
class Sessions {

    /** A session this replica created, by whom and when. */
    private record Held(String address, long createdNanos) {
    }

    private final ConnectionManager connections;
    private final GatewayMetrics metrics;
    private final int perClient;
    private final int total;
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    Sessions(ConnectionManager connections, GatewayMetrics metrics, GatewayConfig config) {
        this.connections = connections;
        this.metrics = metrics;
        this.perClient = config.limits().sessionsPerClient();
        this.total = config.limits().sessions();
    }

    void start(@Observes StartupEvent started) {
        metrics.sessions(() -> {
            forgetEnded();
            return held.size();
        });
    }

    /** Whether the MCP library holds this session here. */
    boolean known(String sessionId) {
        return connections.has(sessionId);
    }

    /** @return false when the initialize was refused (the answer is written) */
    boolean admit(RoutingContext ctx) {
        forgetEnded();
        if (held.size() >= total) {
            metrics.sessionRefused("total_limit");
            Refusals.http(ctx, 503, Refusals.SERVER_LIMIT, "This server holds its maximum of " + total + " MCP sessions; "
                    + "retry in a minute, or send requests without initializing (sessions are optional here).");
            return false;
        }
        String address = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
        List<Map.Entry<String, Held>> mine = held.entrySet().stream().filter(e -> e.getValue().address().equals(address))
                .sorted(Comparator.comparingLong(e -> e.getValue().createdNanos())).toList();
        for (int i = 0; i <= mine.size() - perClient; i++) {
            String oldest = mine.get(i).getKey();
            connections.remove(oldest);
            held.remove(oldest);
            metrics.sessionRefused("client_limit");
        }
        ctx.addHeadersEndHandler(ignored -> {
            String session = ctx.response().headers().get("Mcp-Session-Id");
            if (session != null) {
                held.put(session, new Held(address, System.nanoTime()));
            }
        });
        return true;
    }

    private void forgetEnded() {
        held.keySet().removeIf(id -> !connections.has(id));
    }
}
