package dev.switchboard.edge;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.switchboard.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Time bounds on every connection, as a reverse proxy would set them: a request body must arrive within
 * MCP_LIMITS_BODY_SECONDS of its headers (a request that announces no body is not bound by it: a stream it opens lives
 * until the client or the drain ends it), and a kept-alive connection with no request for MCP_LIMITS_KEEP_ALIVE_SECONDS
 * is closed. A connection on which nothing at all moves is closed by the server's idle timeout (quarkus.http
 * .idle-timeout), which must outlast the longest call. A client that hits a bound sees its connection closed.
 */
@Singleton
class ConnectionTimeouts {

    private final Vertx vertx;
    private final long bodyMillis;
    private final long keepAliveMillis;
    private final Map<HttpConnection, Long> idle = new ConcurrentHashMap<>();

    ConnectionTimeouts(Vertx vertx, GatewayConfig config) {
        this.vertx = vertx;
        this.bodyMillis = config.limits().bodySeconds() * 1000L;
        this.keepAliveMillis = config.limits().keepAliveSeconds() * 1000L;
    }

    void register(@Observes Router router) {
        router.route().order(-1000).handler(this::bound);
    }

    private void bound(RoutingContext ctx) {
        HttpConnection connection = ctx.request().connection();
        if (connection != null) {
            Long waiting = idle.remove(connection);
            if (waiting != null) {
                vertx.cancelTimer(waiting);
            }
        }
        if (!ctx.request().isEnded() && carriesBody(ctx.request())) {
            long bodyTimer = vertx.setTimer(bodyMillis, id -> {
                if (!ctx.request().isEnded() && connection != null) {
                    connection.close();
                }
            });
            // Cancelled once answered: a pending timer holds the whole request, and at thousands of calls a second the
            // requests of the last MCP_LIMITS_BODY_SECONDS would fill the heap.
            ctx.addEndHandler(ignored -> vertx.cancelTimer(bodyTimer));
        }
        if (connection != null && ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) {
            ctx.addEndHandler(ignored -> {
                long timer = vertx.setTimer(keepAliveMillis, id -> {
                    if (idle.remove(connection, id)) {
                        connection.close();
                    }
                });
                Long previous = idle.put(connection, timer);
                if (previous != null) {
                    vertx.cancelTimer(previous);
                }
            });
        }
        ctx.next();
    }

    /**
     * Whether the request announced a body. A request without one (a GET that opens an event stream, a DELETE) has
     * nothing to wait for: the body bound must not end it, however long its answer streams.
     */
    private static boolean carriesBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            return !length.trim().equals("0");
        }
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }
}
