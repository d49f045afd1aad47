package dev.switchboard.edge;

import io.vertx.ext.web.RoutingContext;

/**
 * The client a request counts against in every per-client bound (busy connections, sessions, failed authentications):
 * its address, as the HTTP server sees it (behind a trusted proxy, with quarkus.http.proxy.* set, the forwarded one).
 */
public final class Clients {

    private Clients() {
    }

    /** Where a request relayed on loopback (a stateless request) names the client it is for. */
    static final String RELAYED = "switchboard.relayed-client";

    public static String address(RoutingContext ctx) {
        String relayed = ctx.get(RELAYED);
        if (relayed != null) {
            return relayed;
        }
        return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    }
}
