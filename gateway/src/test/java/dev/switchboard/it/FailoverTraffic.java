package dev.switchboard.it;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Unpinned writes of one API key against one gateway, one after another, while a test fails Redis over underneath:
 * each {@code contacts_create} carries a tag of the run, so that the backend can be asked afterwards where every
 * contact landed. Records, for every call, the organization it acted on or the error it answered.
 */
final class FailoverTraffic implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One call: the organization it acted on, or its error; {@code phase} is the test's label when it was sent. */
    record Outcome(int number, String phase, String organization, String error) {
        boolean succeeded() {
            return organization != null;
        }
    }

    private final GatewayProcess gateway;
    private final String key;
    final String tag;
    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    private volatile String phase = "before";
    private final Map<String, Long> phaseStarts = new java.util.concurrent.ConcurrentHashMap<>();
    private final long started = System.nanoTime();
    private volatile boolean running = true;
    private final Thread thread;

    FailoverTraffic(GatewayProcess gateway, String key, String tag) {
        this.gateway = gateway;
        this.key = key;
        this.tag = tag;
        this.thread = new Thread(this::loop, "traffic-" + tag);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Labels the calls sent from now on. */
    void phase(String name) {
        phaseStarts.put(name, System.nanoTime());
        phase = name;
    }

    List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    long succeededIn(String name) {
        return outcomes.stream().filter(o -> o.phase().equals(name) && o.succeeded()).count();
    }

    /** Waits (up to a minute) until this many calls of the phase succeeded. */
    void awaitSucceeded(String name, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (succeededIn(name) < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /** The answers that acted on another organization than this one. */
    List<Outcome> elsewhere(String organization) {
        return outcomes.stream().filter(o -> o.succeeded() && !o.organization().equals(organization)).toList();
    }

    /** Each distinct error message, with how many calls answered it. */
    Map<String, Long> errors() {
        Map<String, Long> errors = new LinkedHashMap<>();
        outcomes.stream().filter(o -> !o.succeeded()).forEach(o -> errors.merge(o.error(), 1L, Long::sum));
        return errors;
    }

    String summary() {
        Map<String, String> perPhase = new LinkedHashMap<>();
        for (Outcome outcome : outcomes) {
            perPhase.merge(outcome.phase(), outcome.succeeded() ? "+" : "x", String::concat);
        }
        Map<String, String> startedAt = new LinkedHashMap<>();
        phaseStarts.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> startedAt.put(e.getKey(),
                TimeUnit.NANOSECONDS.toMillis(e.getValue() - started) + " ms"));
        return outcomes.size() + " calls (+ acted, x refused) " + perPhase + "; phases began at " + startedAt + "; acted on "
                + actedOn() + "; errors: " + errors();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(30_000);
    }

    private void loop() {
        int number = 0;
        while (running) {
            number++;
            String label = phase;
            JsonObject arguments = new JsonObject().put("email", tag + "." + number + "@example.com")
                    .put("firstName", "Failover").put("lastName", "Call " + number).put("tags", new JsonArray().add(tag));
            outcomes.add(call(number, label, arguments));
            try {
                Thread.sleep(40);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Outcome call(int number, String label, JsonObject arguments) {
        try {
            JsonObject answer = post(Rpc.call(number, "contacts_create", arguments));
            if (answer == null) {
                return new Outcome(number, label, null, "no JSON-RPC answer");
            }
            if (answer.containsKey("error")) {
                JsonObject error = answer.getJsonObject("error");
                return new Outcome(number, label, null, error.getInteger("code") + " " + error.getString("message"));
            }
            JsonObject result = answer.getJsonObject("result");
            if (Boolean.TRUE.equals(result.getBoolean("isError"))) {
                String text = result.getJsonArray("content").getJsonObject(0).getString("text");
                return new Outcome(number, label, null, "tool error: " + text.substring(text.lastIndexOf('\n') + 1));
            }
            return new Outcome(number, label, result.getJsonObject("structuredContent").getJsonObject("organization")
                    .getString("id"), null);
        } catch (IOException | RuntimeException e) {
            return new Outcome(number, label, null, "no answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return new Outcome(number, label, null, "interrupted");
        }
    }

    private JsonObject post(JsonObject message) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.base() + "/mcp"))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(message.encode())).build(), HttpResponse.BodyHandlers.ofString());
        return response.body().isBlank() ? null : new JsonObject(response.body());
    }

    /** How many contacts with this run's tag the backend holds in an organization (asked as the master key). */
    static int contactsTagged(String sandboxBase, String organization, String tag) throws IOException, InterruptedException {
        int count = 0;
        String cursor = null;
        do {
            String url = sandboxBase + "/sandbox/v1/organizations/" + organization + "/contacts?limit=100&tag="
                    + URLEncoder.encode(tag, StandardCharsets.UTF_8)
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization",
                    "Bearer sbx_master").timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the sandbox answered " + response.statusCode() + ": " + response.body());
            }
            JsonObject page = new JsonObject(response.body());
            count += page.getJsonArray("items").size();
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return count;
    }

    /** Organizations and the number of calls that acted on each. */
    Map<String, Long> actedOn() {
        Map<String, Long> acted = new LinkedHashMap<>();
        outcomes.stream().filter(Outcome::succeeded).forEach(o -> acted.merge(o.organization(), 1L, Long::sum));
        return acted;
    }

    /** Every error message that reads like an internal failure rather than a clear answer. */
    List<String> unclearErrors() {
        List<String> unclear = new ArrayList<>();
        for (String error : errors().keySet()) {
            if (error.isBlank() || error.contains("Exception") || error.contains("\tat ") || error.startsWith("-32603")
                    || error.startsWith("no answer") || error.startsWith("no JSON-RPC")) {
                unclear.add(error);
            }
        }
        return unclear;
    }
}
