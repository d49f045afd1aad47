package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.switchboard.support.Processes;
import dev.switchboard.support.RedisServer;

/** What an operator sees when starting the gateway: clear refusals of bad settings, and the loopback-only default. */
class StartupIT {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "MCP_PORT|abc|MCP_PORT=\"abc\" is invalid: expected a TCP port number",
            "MCP_REQUEST_TIMEOUT_SECONDS|-5|MCP_REQUEST_TIMEOUT_SECONDS=\"-5\" is invalid",
            "MCP_BACKEND_BASE_URL|not a url|MCP_BACKEND_BASE_URL=\"not a url\" is invalid: expected an http:// or https:// URL",
            "MCP_TRANSPORT|carrier-pigeon|MCP_TRANSPORT=\"carrier-pigeon\" is invalid: expected one of streamable-http, sse, stdio",
            "REDIS_URL|http://user:hunter2@redis|REDIS_URL=(value not shown) is invalid" })
    void aBadSettingStopsStartUpWithOneClearLine(String variable, String value, String expected) throws Exception {
        Process process = GatewayProcess.launch("bad-" + variable, Map.of(variable, value), List.of());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        String output = Files.readString(GatewayProcess.logFile("bad-" + variable).toPath());
        assertThat(output.strip().lines()).hasSize(1);
        assertThat(output).contains(expected).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("hunter2");
    }

    /**
     * A newcomer reads any warning at start-up as misconfiguration: a correct start prints none, with either state store.
     * (workarounds/LibraryWarnings drops the libraries' warnings that do not apply; a new one fails here.)
     */
    @Test
    void aCorrectStartPrintsNoWarning() throws Exception {
        try (RedisServer redis = RedisServer.start(); Processes processes = new Processes()) {
            // both at once: each waits for its own start-up
            CompletableFuture<GatewayProcess> inProcess = start(processes, "clean-start", Map.of());
            CompletableFuture<GatewayProcess> onRedis = start(processes, "clean-start-redis", Map.of("REDIS_URL", redis.url()));
            for (GatewayProcess gateway : List.of(inProcess.join(), onRedis.join())) {
                gateway.awaitOutput("Demo keys:"); // the banner, written once start-up is complete
                assertThat(gateway.output().lines().filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")))
                        .as("warnings and errors at start-up; the whole log: %s", gateway.log).isEmpty();
            }
        }
    }

    private static CompletableFuture<GatewayProcess> start(Processes processes, String name, Map<String, String> environment) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return processes.add(GatewayProcess.start(name, environment));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, task -> {
            Thread thread = new Thread(task, "start-" + name);
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** MCP_TRANSPORT=sse, as a FastMCP configuration names the transport, starts the same server, SSE URL first. */
    @Test
    void theSseTransportNameIsUnderstood() throws Exception {
        try (GatewayProcess sse = GatewayProcess.start("transport-sse", Map.of("MCP_TRANSPORT", "sse"))) {
            assertThat(sse.output()).contains("MCP:         legacy SSE http://127.0.0.1:" + sse.port + "/mcp/sse (MCP_TRANSPORT=sse)");
            HttpResponse<String> ping = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + sse.port + "/mcp")).header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ping.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void remoteClientsAreRefusedUnlessAllowed() throws Exception {
        Optional<String> address = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .map(InetAddress::getHostAddress).findFirst();
        Assumptions.assumeTrue(address.isPresent(), "no non-loopback address on this machine");
        HttpClient http = HttpClient.newHttpClient();
        String ping = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
        try (GatewayProcess closed = GatewayProcess.start("remote-refused", Map.of("MCP_HOST", "0.0.0.0"))) {
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create("http://" + address.get() + ":" + closed.port + "/mcp"))
                    .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(ping)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("ALLOW_REMOTE_CLIENT");
        }
        try (GatewayProcess open = GatewayProcess.start("remote-allowed", Map.of("MCP_HOST", "0.0.0.0", "ALLOW_REMOTE_CLIENT", "true",
                "MCP_ALLOWED_HOSTS", address.get()))) {
            HttpResponse<String> allowed = http.send(HttpRequest.newBuilder(URI.create("http://" + address.get() + ":" + open.port + "/mcp"))
                    .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(ping)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(allowed.statusCode()).isEqualTo(200);
            HttpResponse<String> foreignHost = http.send(HttpRequest.newBuilder(URI.create("http://" + address.get() + ":" + open.port + "/mcp"))
                    .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                    .header("Origin", "http://evil.example.com")
                    .POST(HttpRequest.BodyPublishers.ofString(ping)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(foreignHost.statusCode()).isEqualTo(403);
            assertThat(open.output()).contains("Clients:     any address");
        }
    }
}
