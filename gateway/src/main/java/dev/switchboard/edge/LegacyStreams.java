package dev.switchboard.edge;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.switchboard.cluster.ReplicaBus;
import dev.switchboard.config.Endpoints;
import dev.switchboard.config.McpProtocol;
import dev.switchboard.config.RequestHeader;
import dev.switchboard.lifecycle.Drain;
import io.quarkiverse.mcp.server.Implementation;
import io.quarkiverse.mcp.server.InitialRequest;
import io.quarkiverse.mcp.server.McpConnection;
import io.quarkiverse.mcp.server.runtime.ConnectionManager;
import io.quarkiverse.mcp.server.runtime.McpConnectionBase;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Legacy SSE without sticky sessions. A stream opened here announces a message URL that names this replica
 * ({@code /mcp/messages/<id>?replica=<this>&stream=<tag>}); a message posted to another replica is passed to this
 * one through the replica bus (Redis publish/subscribe) and delivered here as if posted here, so that its answer
 * reaches the stream. The posting client gets 202 Accepted, as the transport specifies.
 * <p>
 * On SIGTERM, streams with no call in flight end at once (their clients reconnect, to another replica), the others
 * when their last call ends or when the drain time is up.
 */
@Singleton
class LegacyStreams {

    private static final Logger LOG = Logger.getLogger(LegacyStreams.class);
    private static final String CHANNEL_PREFIX = "sse:";
    private static final long KEEP_ALIVE_MILLIS = 25_000;
    private static final java.time.Duration FORWARD_WAIT = java.time.Duration.ofSeconds(5);
    private static final String DELIVERED = "delivered";
    private static final String GONE = "gone";

    /** An open stream and the calls posted for it that are still running. */
    private record Stream(HttpServerResponse response, AtomicInteger inFlight) {
    }

    private final ReplicaBus bus;
    private final ConnectionManager connections;
    private final Drain drain;
    private final Vertx vertx;
    private final HttpServer server;
    private final Sessions sessions;
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();
    private final Set<String> forwardedHeaders;
    private volatile HttpClient loopback;

    LegacyStreams(ReplicaBus bus, ConnectionManager connections, Drain drain, Vertx vertx, HttpServer server,
            Sessions sessions, dev.switchboard.config.GatewayConfig config) {
        this.forwardedHeaders = RequestHeader.forwardedAcrossReplicas(config);
        this.bus = bus;
        this.sessions = sessions;
        this.connections = connections;
        this.drain = drain;
        this.vertx = vertx;
        this.server = server;
    }

    void register(@Observes Router router) {
        router.route(HttpMethod.GET, Endpoints.LEGACY_SSE).order(-100).handler(this::open);
    }

    void start(@Observes @jakarta.annotation.Priority(100) StartupEvent started) {
        bus.answer(CHANNEL_PREFIX + bus.replicaId(), this::deliverForwarded);
        drain.whenDraining(() -> {
            // a stream with a call in flight ends once that call has answered on it, even past the drain time
            endIdleStreams();
            vertx.setPeriodic(500, id -> {
                endIdleStreams();
                if (streams.isEmpty()) {
                    vertx.cancelTimer(id);
                }
            });
        });
    }

    /**
     * Tags a new stream with this replica: the MCP library copies the stream request's query parameters into the
     * message URL it announces (include-query-params), so every replica can tell where the stream lives.
     */
    private void open(RoutingContext ctx) {
        if (drain.draining()) {
            Refusals.http(ctx, 503, Refusals.SERVER_LIMIT, "This replica is shutting down; connect again.");
            return;
        }
        String tag = UUID.randomUUID().toString();
        if (!sessions.admitStream(ctx, tag)) {
            return;
        }
        ctx.queryParams().remove("replica");
        ctx.queryParams().remove("stream");
        ctx.queryParams().add("replica", bus.replicaId()).add("stream", tag);
        Stream stream = new Stream(ctx.response(), new AtomicInteger());
        streams.put(tag, stream);
        ctx.addEndHandler(ignored -> {
            streams.remove(tag);
            sessions.streamEnded(tag);
        });
        keepAlive(tag, ctx.response());
        ctx.next();
    }

    /**
     * A message for a legacy stream: delivered here when the stream is here (or the message names no replica),
     * otherwise passed on to the replica that holds it.
     *
     * @return whether the library should handle it here
     */
    boolean deliverHere(RoutingContext ctx) {
        String replica = ctx.queryParam("replica").stream().findFirst().orElse(null);
        if (replica == null || replica.equals(bus.replicaId()) || !bus.shared()) {
            String tag = ctx.queryParam("stream").stream().findFirst().orElse(null);
            Stream stream = tag == null ? null : streams.get(tag);
            if (stream != null) {
                stream.inFlight().incrementAndGet();
                ctx.addEndHandler(ignored -> stream.inFlight().decrementAndGet());
            }
            return true;
        }
        JsonObject forwarded = new JsonObject().put("uri", ctx.request().uri()).put("body", ctx.body().asString());
        JsonObject headers = new JsonObject();
        ctx.request().headers().forEach(header -> {
            String name = header.getKey().toLowerCase(java.util.Locale.ROOT);
            if (forwardedHeaders.contains(name)) {
                headers.put(header.getKey(), header.getValue());
            }
        });
        forwarded.put("headers", headers);
        bus.request(CHANNEL_PREFIX + replica, forwarded.encode(), FORWARD_WAIT).subscribe().with(answer -> {
            if (answer.isPresent() && answer.get().equals(DELIVERED)) {
                ctx.response().setStatusCode(202).end("Accepted");
            } else {
                // the replica, or the stream on it, is gone: say so, as for any unknown session, rather than lose it
                Refusals.http(ctx, 404, "Unknown MCP session: " + (answer.isEmpty() ? "its stream lived on a replica that is "
                        + "gone" : "its stream has ended") + ". Connect to " + Endpoints.LEGACY_SSE + " again.");
            }
        }, failure -> Refusals.http(ctx, 503, Refusals.SERVER_LIMIT, "The message could not be passed to the replica "
                + "holding this stream; send it again."));
        return false;
    }

    /**
     * A client whose stream ended (its replica drained) reconnects, through the balancer, to another replica, and goes
     * on posting requests without initializing again, as SSE clients do. Such a stream is taken as initialized, so
     * that its calls are served rather than refused with "the first message must be initialize".
     */
    void adoptReconnected(String connectionId) {
        McpConnectionBase connection = connections.get(connectionId);
        if (connection != null && connection.status() == McpConnection.Status.NEW) {
            connection.initialize(new InitialRequest(new Implementation("reconnected-client", "0", null),
                    McpProtocol.ASSUMED_LEGACY, java.util.List.of(), InitialRequest.Transport.SSE, true));
            connection.setInitialized();
        }
    }

    /**
     * A message another replica received for a stream of this one: posted here over loopback, as the client would, when
     * the stream is open here (the answer says whether it was).
     */
    private String deliverForwarded(String message) {
        JsonObject forwarded = new JsonObject(message);
        String uri = forwarded.getString("uri", "");
        String tag = io.netty.handler.codec.http.QueryStringDecoder.decodeComponent(queryValue(uri, "stream"));
        if (!open(tag)) {
            return GONE;
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        forwarded.getJsonObject("headers", new JsonObject()).forEach(h -> headers.add(h.getKey(), String.valueOf(h.getValue())));
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
                .setPort(server.getPort()).setURI(uri).setHeaders(headers);
        client().request(options)
                .compose(request -> request.send(forwarded.getString("body", "")))
                .onFailure(failure -> LOG.debugf("A forwarded legacy SSE message could not be delivered: %s", failure.getMessage()));
        return DELIVERED;
    }

    private static String queryValue(String uri, String name) {
        int query = uri.indexOf('?');
        if (query < 0) {
            return "";
        }
        for (String pair : uri.substring(query + 1).split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return "";
    }

    private HttpClient client() {
        HttpClient known = loopback;
        if (known == null) {
            known = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(16));
            loopback = known;
        }
        return known;
    }

    /**
     * An SSE comment every {@link #KEEP_ALIVE_MILLIS}: a stream that carries no message for a while is not taken as
     * idle by the server's idle timeout, a proxy or the client, and a client that went away is noticed.
     */
    private void keepAlive(String tag, HttpServerResponse response) {
        vertx.setPeriodic(KEEP_ALIVE_MILLIS, id -> {
            if (!streams.containsKey(tag) || response.ended() || response.closed()) {
                vertx.cancelTimer(id);
                return;
            }
            response.write(": keep-alive\n\n");
        });
    }

    /** Whether the stream with this tag is open on this replica. */
    boolean open(String tag) {
        Stream stream = tag == null ? null : streams.get(tag);
        return stream != null && !stream.response().closed() && !stream.response().ended();
    }

    private void endIdleStreams() {
        streams.values().stream().filter(stream -> stream.inFlight().get() == 0).forEach(stream -> end(stream.response()));
    }

    private static void end(HttpServerResponse response) {
        if (!response.ended() && !response.closed()) {
            response.end();
        }
    }
}
