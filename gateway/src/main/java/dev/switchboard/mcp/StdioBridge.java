package dev.switchboard.mcp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

import org.jboss.logging.Logger;

import dev.switchboard.config.BridgeToken;
import dev.switchboard.config.Endpoints;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.RequestHeader;
import io.quarkus.runtime.Quarkus;
import io.quarkus.vertx.http.HttpServerStart;

/**
 * MCP over stdio (MCP_TRANSPORT=stdio): relays each JSON-RPC line from stdin to this process's own Streamable HTTP
 * endpoint on loopback, adding the headers that MCP_BACKEND_AUTHORIZATION, MCP_COMPANY_ID and MCP_AGENCY_ID stand for,
 * and writes every JSON answer or SSE event back to stdout as one line. Logs go to stderr; the process ends when stdin
 * closes. The tools therefore behave exactly as over HTTP. The endpoint answers only this bridge ({@link BridgeToken}).
 */
@ApplicationScoped
class StdioBridge {

    private static final Logger LOG = Logger.getLogger(StdioBridge.class);

    private final GatewayConfig config;
    private final BridgeToken token;
    private final PrintStream out = System.out;
    private final AtomicReference<String> sessionId = new AtomicReference<>();
    private HttpClient client;

    StdioBridge(GatewayConfig config, BridgeToken token) {
        this.config = config;
        this.token = token;
    }

    void start(@ObservesAsync HttpServerStart started) {
        if (config.transport() != GatewayConfig.Transport.STDIO) {
            return;
        }
        URI endpoint = URI.create("http://127.0.0.1:" + started.options().getPort() + Endpoints.MCP);
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        Thread reader = new Thread(() -> relay(endpoint), "mcp-stdio");
        reader.setDaemon(true);
        reader.start();
        LOG.info("MCP over stdio: reading JSON-RPC messages from stdin");
    }

    private void relay(URI endpoint) {
        Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                CompletableFuture<Void> relayed = send(endpoint, line);
                if (isInitialize(line)) {
                    // later messages need the session id that the answer to initialize carries
                    relayed.join();
                } else {
                    inFlight.add(relayed);
                    relayed.whenComplete((ok, failure) -> inFlight.remove(relayed));
                }
            }
        } catch (IOException e) {
            LOG.warnf("stdin could not be read: %s", e.getMessage());
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
        LOG.info("stdin closed: stopping");
        Quarkus.asyncExit();
    }

    private static boolean isInitialize(String line) {
        try {
            return "initialize".equals(new io.vertx.core.json.JsonObject(line).getString("method"));
        } catch (RuntimeException e) {
            return false; // not a JSON object: the endpoint answers with the parse error
        }
    }

    private CompletableFuture<Void> send(URI endpoint, String line) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header(BridgeToken.HEADER, token.value())
                .POST(HttpRequest.BodyPublishers.ofString(line, StandardCharsets.UTF_8));
        for (RequestHeader header : RequestHeader.credentials()) {
            header.stdioValue(config).map(value -> header != RequestHeader.AUTHORIZATION
                    || value.regionMatches(true, 0, "Bearer ", 0, 7) ? value : "Bearer " + value)
                    .ifPresent(value -> request.header(header.wireName(), value));
        }
        String session = sessionId.get();
        if (session != null) {
            request.header(RequestHeader.SESSION_ID.wireName(), session);
        }
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> {
            response.headers().firstValue(RequestHeader.SESSION_ID.wireName()).ifPresent(sessionId::set);
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            try (Stream<String> lines = response.body()) {
                if (contentType.startsWith("text/event-stream")) {
                    lines.filter(l -> l.startsWith("data:")).map(l -> l.substring(5).trim()).forEach(this::write);
                } else {
                    String body = String.join("", lines.toList()).trim();
                    if (!body.isEmpty()) {
                        write(body);
                    }
                }
            }
        }).exceptionally(failure -> {
            LOG.warnf("A message could not be relayed: %s", failure.getMessage());
            return null;
        });
    }

    private synchronized void write(String json) {
        out.println(json);
        out.flush();
    }
}
