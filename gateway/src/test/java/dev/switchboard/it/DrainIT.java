package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.switchboard.support.GenerousWaits;
import dev.switchboard.support.Processes;

import io.vertx.core.json.JsonObject;

/**
 * SIGTERM while writes run longer than the drain (the workspace keeps failing them, so the gateway keeps retrying): every
 * client gets an answer before the replica stops, never a dropped connection, and the answer carries the idempotency key
 * with which the retry, on the other replica, writes exactly once.
 */
class DrainIT {

    private static final String CONTROL_TOKEN = "drain-it-control-token";
    private static final Pattern KEY = Pattern.compile("idempotencyKey \\\\?\"([^\"\\\\]+)");
    private static final int CALLS = 20;

    @RegisterExtension
    static final Processes processes = new Processes();

    private static GatewayProcess sandbox;
    private static GatewayProcess draining;
    private static GatewayProcess other;

    @BeforeAll
    static void start() throws Exception {
        sandbox = processes.add(GatewayProcess.start("drain-sandbox", Map.of("MCP_SANDBOX_ONLY", "true", "SANDBOX_CONTROL_TOKEN",
                CONTROL_TOKEN)));
        Map<String, String> gateway = new HashMap<>(Map.of("MCP_BACKEND_BASE_URL", sandbox.base() + "/sandbox",
                "MCP_SHUTDOWN_DRAIN_SECONDS", "6", "MCP_REQUEST_TIMEOUT_SECONDS", "3", "MCP_RETRY_MAX_RETRIES", "10",
                "MCP_RETRY_DELAY_MS", "300", "MCP_RETRY_MAX_DELAY_MS", "1000", "MCP_RETRY_MAX_DURATION_SECONDS", "60",
                "MCP_CIRCUIT_REQUEST_VOLUME", "1000"));
        draining = processes.add(GatewayProcess.start("drain-gateway-1", gateway));
        other = processes.add(GatewayProcess.start("drain-gateway-2", gateway));
    }

    @Test
    void writesLongerThanTheDrainAreAnsweredWithTheKeyThatMakesTheirRetryWriteOnce() throws Exception {
        control("POST", "/faults", "{\"operation\":\"contacts_create\",\"probability\":1,\"status\":503,\"latencyMs\":1500,"
                + "\"times\":100000}");
        String run = Long.toString(System.nanoTime(), 36);
        ExecutorService clients = Executors.newFixedThreadPool(CALLS);
        List<Future<Rpc.Answer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < CALLS; i++) {
                JsonObject arguments = contact(run, i);
                int id = i + 1;
                answers.add(clients.submit(() -> Rpc.post(draining.base() + "/mcp", Rpc.call(id, "contacts_create", arguments),
                        Map.of("Authorization", "Bearer sbx_alice"))));
            }
            // every write is in flight: the workspace holds each attempt for 1.5 s before failing it, so the first CALLS
            // requests it counts are the calls' first attempts
            GenerousWaits.until("every write to reach the workspace", () -> requests("contacts_create") >= CALLS, () -> "");
            draining.process.destroy(); // SIGTERM
            List<String> keys = new ArrayList<>();
            for (Future<Rpc.Answer> future : answers) {
                Rpc.Answer answer = future.get(2, TimeUnit.MINUTES); // a dropped connection fails here
                assertThat(answer.status()).isEqualTo(200);
                String text = answer.message().getJsonObject("result").getJsonArray("content").getJsonObject(0).getString("text");
                assertThat(text).contains("shutting down").contains("idempotencyKey");
                Matcher key = KEY.matcher(text);
                assertThat(key.find()).as(text).isTrue();
                keys.add(key.group(1));
            }
            assertThat(draining.process.waitFor(1, TimeUnit.MINUTES)).isTrue();

            control("DELETE", "/faults", null);
            for (int i = 0; i < CALLS; i++) {
                JsonObject arguments = contact(run, i).put("idempotencyKey", keys.get(i));
                Rpc.Answer retried = Rpc.post(other.base() + "/mcp", Rpc.call(100 + i, "contacts_create", arguments),
                        Map.of("Authorization", "Bearer sbx_alice"));
                assertThat(retried.message().getJsonObject("result").getBoolean("isError")).as("retry %d", i).isFalse();
                // the same retry again: replayed, not written again
                Rpc.post(other.base() + "/mcp", Rpc.call(200 + i, "contacts_create", arguments),
                        Map.of("Authorization", "Bearer sbx_alice"));
            }
            for (int i = 0; i < CALLS; i++) {
                Rpc.Answer listed = Rpc.post(other.base() + "/mcp", Rpc.call(300 + i, "contacts_list",
                        new JsonObject().put("email", contact(run, i).getString("email"))), Map.of("Authorization", "Bearer sbx_alice"));
                assertThat(Rpc.structured(listed).getJsonObject("result").getJsonArray("items")).as("contacts %d", i).hasSize(1);
            }
        } finally {
            clients.shutdownNow();
        }
    }

    private static JsonObject contact(String run, int i) {
        return new JsonObject().put("email", "drain-" + run + "-" + i + "@example.com").put("firstName", "Drain" + i);
    }

    private static String control(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.base() + "/sandbox/_control" + path))
                .header("X-Sandbox-Control-Token", CONTROL_TOKEN).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isLessThan(300);
            return response.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** How many requests of an operation reached the sandbox (its control endpoint counts them). */
    private static int requests(String operation) {
        Object count = new JsonObject(control("GET", "/requests", null)).getValue(operation);
        return count instanceof Number number ? number.intValue() : 0;
    }
}
