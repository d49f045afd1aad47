package dev.switchboard.edge;

import java.util.Set;

import jakarta.inject.Singleton;

import dev.switchboard.config.BridgeToken;
import dev.switchboard.config.Endpoints;
import dev.switchboard.config.RequestHeader;
import dev.switchboard.workarounds.LibraryWorkaround;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * Requests this replica sends to its own MCP endpoint on behalf of a client: what the library serves one message at a
 * time (a stateless request, a task's call, each message of a batch) goes round once more, with the client's headers,
 * this process's bridge token and the client's address, so that admission and throttles see the real client.
 */
@LibraryWorkaround(entry = 8)
@Singleton
class Loopback {

    /** The client a relayed request is for; believed only beside this process's bridge token. */
    static final String RELAYED_CLIENT = RequestHeader.RELAYED_CLIENT.wireName();

    /** Hop-by-hop headers, and the ones each relay sets itself. */
    private static final Set<String> NOT_RELAYED = Set.of("host", "content-length", "connection", "keep-alive",
            "transfer-encoding", "upgrade", "te", "accept", RELAYED_CLIENT.toLowerCase(), BridgeToken.HEADER.toLowerCase());

    private final Vertx vertx;
    private final BridgeToken token;
    private volatile HttpClient client;

    Loopback(Vertx vertx, BridgeToken token) {
        this.vertx = vertx;
        this.token = token;
    }

    /** A request of this replica's own (no client's headers but the host it was reached at), with the bridge token. */
    RequestOptions own(RoutingContext ctx, HttpMethod method) {
        RequestOptions request = bare(ctx, method).putHeader(BridgeToken.HEADER, token.value());
        String host = ctx.request().getHeader(HttpHeaders.HOST);
        if (host != null) {
            request.putHeader(HttpHeaders.HOST, host);
        }
        return request;
    }

    private static RequestOptions bare(RoutingContext ctx, HttpMethod method) {
        SocketAddress local = ctx.request().localAddress();
        String host = local == null || local.hostAddress() == null || local.hostAddress().startsWith("0.") ? "127.0.0.1"
                : local.hostAddress();
        return new RequestOptions().setMethod(method).setHost(host).setPort(local == null ? 8080 : local.port())
                .setURI(Endpoints.MCP).setSsl(ctx.request().isSSL()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    }

    /**
     * A POST carrying the client's headers but {@code dropped} (lower case) and hop-by-hop ones, accepting JSON only or
     * JSON and a stream.
     */
    RequestOptions onBehalf(RoutingContext ctx, boolean streams, Set<String> dropped) {
        RequestOptions request = bare(ctx, HttpMethod.POST);
        MultiMap headers = request.getHeaders();
        ctx.request().headers().forEach(header -> {
            String name = header.getKey().toLowerCase();
            if (!NOT_RELAYED.contains(name) && !dropped.contains(name)) {
                headers.add(header.getKey(), header.getValue());
            }
        });
        String host = ctx.request().getHeader(HttpHeaders.HOST);
        if (host != null) {
            headers.set(HttpHeaders.HOST, host);
        }
        headers.set(HttpHeaders.ACCEPT, streams ? "application/json, text/event-stream" : "application/json");
        headers.set(BridgeToken.HEADER, token.value());
        headers.set(RELAYED_CLIENT, Clients.address(ctx));
        return request;
    }

    HttpClient client() {
        HttpClient current = client;
        if (current == null) {
            synchronized (this) {
                if (client == null) {
                    // the relay calls this process's own listener: its certificate is the one the client already trusted
                    // not traced: the relayed request carries the client's own traceparent (its header, or the one
                    // its _meta names), so the trace goes on from the client rather than through an extra hop
                    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(64)
                            .setTrustAll(true).setVerifyHost(false).setTracingPolicy(io.vertx.core.tracing.TracingPolicy.IGNORE));
                }
                current = client;
            }
        }
        return current;
    }
}
