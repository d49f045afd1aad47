package dev.switchboard.edge;

import io.vertx.ext.web.RoutingContext;

/**
 * The client a request counts against in every per-client bound (busy connections, sessions, failed authentications):
 * its address, as the HTTP server sees it (behind a trusted proxy, with quarkus.http.proxy.* set, the forwarded one).
 */
final class Clients {

    private Clients() {
    }

    static String address(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    }
}
