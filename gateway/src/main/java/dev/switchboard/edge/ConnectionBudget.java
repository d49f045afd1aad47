package dev.switchboard.edge;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.switchboard.config.BridgeToken;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.observability.GatewayMetrics;
import io.quarkus.runtime.StartupEvent;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * One budget of busy connections for every route and transport: a request being served holds its connection (HTTP/1.1
 * serves one at a time), and so does an event stream for as long as it is open. A client address may hold
 * MCP_LIMITS_CONNECTIONS_PER_CLIENT of them, all clients together MCP_LIMITS_CONNECTIONS; beyond, the request is
 * answered 503 at once and its connection closed, so that refused clients do not pile up. Health probes are outside
 * the budget: the server's own connection limit (quarkus.http.limits.max-connections) is kept above it, so that a
 * replica whose budget is spent still answers its liveness and readiness probes.
 */
@Singleton
class ConnectionBudget {

    private static final String PROBES = "/q/health";

    private final int perClient;
    private final int total;
    private final GatewayMetrics metrics;
    private final AtomicInteger busy = new AtomicInteger();
    /** Busy connections per client address; an address holding none has no entry. */
    private final Map<String, Integer> byClient = new ConcurrentHashMap<>();

    private final BridgeToken bridge;

    ConnectionBudget(GatewayConfig config, GatewayMetrics metrics, BridgeToken bridge) {
        this.bridge = bridge;
        this.perClient = config.limits().connectionsPerClient();
        this.total = config.limits().connections();
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent started) {
        metrics.connections(busy::get);
    }

    void register(@Observes Router router) {
        router.route().order(-1100).handler(this::admit);
    }

    private void admit(RoutingContext ctx) {
        if (ctx.normalizedPath().startsWith(PROBES)) {
            ctx.next();
            return;
        }
        if (bridge.matches(ctx.request().getHeader(BridgeToken.HEADER))) {
            // this process relaying its own client's request (stdio, or a stateless request): counted once, outside
            String relayed = ctx.request().getHeader(Loopback.RELAYED_CLIENT);
            if (relayed != null) {
                ctx.put(Clients.RELAYED, relayed);
            }
            ctx.next();
            return;
        }
        String address = Clients.address(ctx);
        if (byClient.merge(address, 1, Integer::sum) > perClient) {
            release(address);
            refuse(ctx, "client_limit", "This client address holds its maximum of " + perClient + " busy connections "
                    + "(requests and open streams); close a stream or wait for an answer, then retry.");
            return;
        }
        if (busy.incrementAndGet() > total) {
            busy.decrementAndGet();
            release(address);
            refuse(ctx, "total_limit", "This server is serving its maximum of " + total + " connections; retry in a "
                    + "moment (another replica may have room).");
            return;
        }
        ctx.addEndHandler(ignored -> {
            busy.decrementAndGet();
            release(address);
        });
        ctx.next();
    }

    private void release(String address) {
        byClient.computeIfPresent(address, (client, held) -> held <= 1 ? null : held - 1);
    }

    private void refuse(RoutingContext ctx, String reason, String message) {
        metrics.connectionRefused(reason);
        ctx.response().putHeader("Connection", "close").putHeader("Retry-After", "5");
        Refusals.http(ctx, 503, Refusals.SERVER_LIMIT, message);
    }
}
