package dev.switchboard.edge;

import dev.switchboard.config.RequestHeader;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.McpProtocol;
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
    /** Open legacy SSE streams (each is a session of the library), by their tag. */
    private final Map<String, Held> streams = new ConcurrentHashMap<>();

    private final SessionIds ids;

    Sessions(ConnectionManager connections, GatewayMetrics metrics, GatewayConfig config, SessionIds ids) {
        this.ids = ids;
        this.connections = connections;
        this.metrics = metrics;
        this.perClient = config.limits().sessionsPerClient();
        this.total = config.limits().sessions();
    }

    void start(@Observes StartupEvent started) {
        metrics.sessions(() -> {
            forgetEnded();
            return held.size() + streams.size();
        });
    }

    /** Whether the MCP library holds this session here. */
    boolean known(String sessionId) {
        return connections.has(sessionId);
    }

    /** @return false when the initialize was refused (the answer is written) */
    boolean admit(RoutingContext ctx) {
        forgetEnded();
        if (held.size() + streams.size() >= total) {
            metrics.sessionRefused("total_limit");
            Refusals.http(ctx, 503, Refusals.SERVER_LIMIT, "This server holds its maximum of " + total + " MCP sessions; "
                    + "retry in a minute, or send requests without initializing (sessions are optional here).");
            return false;
        }
        String address = Clients.address(ctx);
        List<Map.Entry<String, Held>> mine = held.entrySet().stream().filter(e -> e.getValue().address().equals(address))
                .sorted(Comparator.comparingLong(e -> e.getValue().createdNanos())).toList();
        for (int i = 0; i <= mine.size() - perClient; i++) {
            String oldest = mine.get(i).getKey();
            connections.remove(oldest);
            held.remove(oldest);
            metrics.sessionRefused("client_limit");
        }
        String negotiated = negotiated(ctx);
        ctx.addHeadersEndHandler(ignored -> {
            String session = ctx.response().headers().get(RequestHeader.SESSION_ID.wireName());
            if (session != null) {
                held.put(session, new Held(address, System.nanoTime()));
                ctx.response().headers().set(RequestHeader.SESSION_ID.wireName(), ids.issued(session, negotiated));
            }
        });
        return true;
    }

    /** The version an initialize negotiates: the one the client asks for when served, else the newest. */
    private static String negotiated(RoutingContext ctx) {
        Object requested = ctx.body().asJsonObject().getJsonObject("params", new io.vertx.core.json.JsonObject())
                .getValue("protocolVersion");
        return requested instanceof String version && McpProtocol.VERSIONS.contains(version) ? version
                : McpProtocol.VERSIONS.get(0);
    }

    /**
     * A legacy SSE stream is a session too: bounded per client address (the new one is refused: closing an open stream
     * would cut a call in flight) and in total.
     *
     * @return false when the stream was refused (the answer is written); otherwise it counts until {@link #streamEnded}
     */
    boolean admitStream(RoutingContext ctx, String tag) {
        forgetEnded();
        String address = Clients.address(ctx);
        if (held.size() + streams.size() >= total) {
            metrics.sessionRefused("total_limit");
            Refusals.http(ctx, 503, Refusals.SERVER_LIMIT, "This server holds its maximum of " + total + " MCP sessions "
                    + "and streams; retry in a minute, or use Streamable HTTP without a session.");
            return false;
        }
        long mine = streams.values().stream().filter(stream -> stream.address().equals(address)).count()
                + held.values().stream().filter(session -> session.address().equals(address)).count();
        if (mine >= perClient) {
            metrics.sessionRefused("client_limit");
            Refusals.http(ctx, 503, Refusals.SERVER_LIMIT, "This client address holds its maximum of " + perClient
                    + " MCP sessions and streams; close one, then connect again.");
            return false;
        }
        streams.put(tag, new Held(address, System.nanoTime()));
        return true;
    }

    void streamEnded(String tag) {
        streams.remove(tag);
    }

    private void forgetEnded() {
        held.keySet().removeIf(id -> !connections.has(id));
    }
}
