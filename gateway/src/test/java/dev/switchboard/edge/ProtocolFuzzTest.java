package dev.switchboard.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.GenerousWaits;
import dev.switchboard.support.LogTail;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Hostile input, as a fuzzer sends it, over Streamable HTTP and the legacy SSE message endpoint: malformed JSON, wrong
 * types in every JSON-RPC field, batches, id-less messages, huge and deeply nested bodies, invalid UTF-8, unknown
 * methods, and tool arguments built from each tool's input schema and then mutated. Every request is answered at once
 * (under 5 s), never with a 5xx, always with a JSON-RPC message, a tool result or an empty 202, never with a stack
 * trace or a class name, and the gateway logs at most one line per request.
 * <p>
 * Bounded: {@code -Dfuzz.inputs} (default 4,000) within a minute; the seed is printed and can be set with
 * {@code -Dfuzz.seed}. The long run is {@code ./mvnw verify -Dtest=ProtocolFuzzTest -Dfuzz.inputs=100000 -DskipITs}.
 */
@QuarkusTest
@TestProfile(ProtocolFuzzTest.Production.class)
class ProtocolFuzzTest {

    /** The log a production gateway writes: no traffic dump, the gateway at INFO. */
    public static class Production implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.mcp.server.traffic-logging.enabled", "false",
                    "quarkus.log.category.\"dev.switchboard\".level", "INFO",
                    "mcp.limits.auth-failures-per-minute", "20");
        }
    }

    /** A request unanswered this long hangs: a bound that finds hangs on a loaded machine, not a speed requirement. */
    private static final Duration ANSWER_LIMIT = Duration.ofSeconds(30);
    /** Enough to show what is wrong; a broken gateway then fails the test soon instead of hanging for every input. */
    private static final int MAX_FINDINGS = 20;
    private static final Pattern INTERNALS = Pattern.compile(
            "Exception\\b|\\tat |\\.java:\\d+|java\\.lang\\.|io\\.vertx\\.|io\\.quarkus\\.|dev\\.switchboard\\.");
    private static final List<String> KEYS = List.of("sbx_alice", "sbx_alice", "sbx_alice", "sbx_bob", "sbx_master",
            "sbx_revoked", "not-a-key", "");
    private static final List<String> METHODS = List.of("initialize", "ping", "tools/list", "tools/call", "tools/call",
            "tools/call", "tools/call", "prompts/list", "prompts/get", "resources/list", "resources/read",
            "resources/templates/list", "completion/complete", "logging/setLevel", "notifications/initialized",
            "notifications/cancelled", "notifications/progress", "q/close", "unknown/method", "");

    @TestHTTPResource("/")
    URL base;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** One finding: what was sent and what came back. */
    private record Finding(String what, String request, int status, String answer) {
        @Override
        public String toString() {
            return what + " [HTTP " + status + "] " + shorten(request) + " -> " + shorten(answer);
        }
    }

    @Test
    void everyHostileRequestIsAnsweredAtOnceWithAJsonRpcMessage() throws Exception {
        int inputs = Integer.getInteger("fuzz.inputs", 4_000);
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("ProtocolFuzzTest: " + inputs + " inputs, seed " + seed);
        Random random = new Random(seed);
        String mcp = base.toString().replaceAll("/$", "") + "/mcp";
        List<JsonObject> tools = tools(mcp);
        List<String> legacyEndpoints = legacyEndpoints(2);
        LogTail log = LogTail.mark();

        ConcurrentLinkedQueue<Finding> findings = new ConcurrentLinkedQueue<>();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger slowest = new AtomicInteger();
        Semaphore inFlight = new Semaphore(8);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < inputs && findings.size() < MAX_FINDINGS; i++) {
            boolean hostilePath = random.nextInt(60) == 0;
            boolean legacy = hostilePath || !legacyEndpoints.isEmpty() && random.nextInt(10) == 0;
            // a message path with a line break or a NUL where the session id goes
            String endpoint = hostilePath ? mcp + "/messages/" + (random.nextBoolean() ? "abc%0Aforged%20WARN" : "abc%00def")
                    + "?stream=x" : legacy ? legacyEndpoints.get(random.nextInt(legacyEndpoints.size())) : mcp;
            byte[] body = body(random, tools);
            HttpRequest request = request(random, endpoint, body);
            inFlight.acquire();
            long sent = System.nanoTime();
            all.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                    .orTimeout(ANSWER_LIMIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .handle((response, failure) -> {
                        inFlight.release();
                        long millis = Duration.ofNanos(System.nanoTime() - sent).toMillis();
                        slowest.accumulateAndGet((int) millis, Math::max);
                        String sentText = new String(body, StandardCharsets.UTF_8);
                        if (failure != null) {
                            findings.add(new Finding("no answer within " + ANSWER_LIMIT.toSeconds() + " s ("
                                    + failure.getClass().getSimpleName() + ")", sentText, 0, ""));
                            return null;
                        }
                        answered.incrementAndGet();
                        check(response, sentText, legacy, findings);
                        return null;
                    }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        // the log is written asynchronously: let the last lines arrive (the log stops growing)
        long[] size = { -1 };
        GenerousWaits.until("the gateway's log to stop growing", () -> {
            long now = log.lines().size();
            boolean stable = now == size[0];
            size[0] = now;
            if (!stable) {
                sleep(400);
            }
            return stable;
        }, () -> "");
        long logLines = log.lines().stream().filter(line -> !line.isBlank() && !line.startsWith("\t")
                && !line.startsWith("Caused by")).count();
        long stackLines = log.lines().stream().filter(line -> line.startsWith("\tat ")).count();
        long forgedLines = log.lines().stream().filter(line -> line.startsWith("tool_call") || line.startsWith("forged")).count();
        long logBytes = log.lines().stream().mapToLong(line -> line.length() + 1L).sum();
        System.out.printf("ProtocolFuzzTest: %d requests in %d s, %d answered, slowest %d ms, %d log lines, %d findings%n",
                inputs, took.toSeconds(), answered.get(), slowest.get(), logLines, findings.size());
        List<Finding> shown = new ArrayList<>(findings);
        Collections.shuffle(shown, random);
        assertThat(shown).as("findings (seed " + seed + ")").isEmpty();
        assertThat(stackLines).as("stack trace lines in the log").isZero();
        assertThat(forgedLines).as("log lines a client forged").isZero();
        assertThat(logBytes).as("log bytes for " + inputs + " requests").isLessThanOrEqualTo(inputs * 2048L);
        assertThat(logLines).as("log lines for " + inputs + " requests").isLessThanOrEqualTo(inputs);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void check(HttpResponse<byte[]> response, String request, boolean legacy, ConcurrentLinkedQueue<Finding> findings) {
        int status = response.statusCode();
        String answer = new String(response.body(), StandardCharsets.UTF_8);
        if (status >= 500) {
            findings.add(new Finding("server error", request, status, answer));
            return;
        }
        if (INTERNALS.matcher(answer).find()) {
            findings.add(new Finding("internals in the answer", request, status, answer));
            return;
        }
        if (answer.isBlank()) {
            // a notification, a response, or a legacy message whose answer goes to the stream
            if (status != 202 && status != 200) {
                findings.add(new Finding("an empty answer that is not 200/202", request, status, answer));
            }
            return;
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        try {
            if (contentType.startsWith("text/event-stream")) {
                for (String line : answer.split("\n")) {
                    if (line.startsWith("data:")) {
                        validMessage(new JsonObject(line.substring(5).trim()));
                    }
                }
            } else if (contentType.startsWith("application/json")) {
                Object parsed = io.vertx.core.json.Json.decodeValue(answer);
                if (parsed instanceof JsonArray batch) {
                    batch.forEach(element -> validMessage((JsonObject) element));
                } else {
                    validMessage((JsonObject) parsed);
                }
            } else if (!(legacy && status == 202)) {
                findings.add(new Finding("an answer that is not JSON (" + contentType + ")", request, status, answer));
            }
        } catch (RuntimeException | AssertionError e) {
            findings.add(new Finding("not a JSON-RPC message: " + e.getMessage(), request, status, answer));
        }
    }

    private static void validMessage(JsonObject message) {
        if (!"2.0".equals(message.getValue("jsonrpc"))) {
            throw new AssertionError("jsonrpc is not 2.0");
        }
        if (message.containsKey("method")) {
            return; // a notification of the server (progress, log)
        }
        boolean result = message.containsKey("result");
        boolean error = message.containsKey("error");
        if (result == error) {
            throw new AssertionError("neither result nor error");
        }
        if (!message.containsKey("id")) {
            throw new AssertionError("no id");
        }
        if (error) {
            JsonObject e = message.getJsonObject("error");
            if (!(e.getValue("code") instanceof Integer) || !(e.getValue("message") instanceof String)) {
                throw new AssertionError("an error without code and message");
            }
        } else if (message.getValue("result") instanceof JsonObject r && r.containsKey("isError")) {
            if (!(r.getValue("content") instanceof JsonArray)) {
                throw new AssertionError("a tool result without content");
            }
        }
    }

    private HttpRequest request(Random random, String endpoint, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint)).timeout(ANSWER_LIMIT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        switch (random.nextInt(6)) {
            case 0 -> {
                // no Accept header at all, as curl and fetch send
            }
            case 1 -> request.header("Accept", "application/json");
            case 2 -> request.header("Accept", "*/*");
            default -> request.header("Accept", "application/json, text/event-stream");
        }
        switch (random.nextInt(24)) {
            case 0, 1, 2 -> {
                // no Content-Type, as some plain clients send
            }
            case 3 -> request.header("Content-Type", "application/x-www-form-urlencoded");
            case 4 -> request.header("Content-Type", "multipart/form-data; boundary=fuzz");
            default -> request.header("Content-Type", "application/json");
        }
        String key = KEYS.get(random.nextInt(KEYS.size()));
        if (!key.isEmpty()) {
            request.header("Authorization", random.nextInt(20) == 0 ? key : "Bearer " + key);
        }
        switch (random.nextInt(12)) {
            case 0 -> request.header("MCP-Protocol-Version", "1999-01-01");
            case 1 -> request.header("MCP-Protocol-Version", "2025-03-26");
            case 2 -> request.header("MCP-Protocol-Version", "2025-06-18");
            case 3 -> request.header("X-Company-ID", random.nextBoolean() ? "org_globex" : "org_nowhere");
            case 4 -> request.header("X-Agency-ID", random.nextBoolean() ? "agency_northwind" : "../..");
            case 5 -> request.header("x-account-id", random.nextBoolean() ? ".." : "support@acme.test");
            case 6 -> request.header("Mcp-Session-Id", "no-such-session-" + random.nextInt(100));
            default -> {
            }
        }
        return request.build();
    }

    // ------------------------------------------------------------------ inputs

    private static byte[] body(Random random, List<JsonObject> tools) {
        int kind = random.nextInt(100);
        if (kind < 8) {
            return malformed(random);
        }
        if (kind < 12) {
            return invalidUtf8(random);
        }
        if (kind < 18) {
            return utf8(batch(random, tools));
        }
        if (kind < 21) {
            return utf8(huge(random));
        }
        if (kind < 24) {
            return utf8(deep(random));
        }
        if (kind < 40) {
            return utf8(wrongTypes(random, tools).encode());
        }
        if (kind < 48) {
            JsonObject message = message(random, tools);
            message.remove("id");
            return utf8(message.encode());
        }
        if (kind < 53) {
            return utf8(hostileNames(random, tools).encode());
        }
        return utf8(toolCall(random, tools).encode());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject message(Random random, List<JsonObject> tools) {
        String method = METHODS.get(random.nextInt(METHODS.size()));
        if (method.equals("tools/call")) {
            return toolCall(random, tools);
        }
        JsonObject params = new JsonObject();
        switch (method) {
            case "initialize" -> params.put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
                    .put("clientInfo", new JsonObject().put("name", "fuzz").put("version", "1"));
            case "prompts/get" -> params.put("name", "p" + random.nextInt(3));
            case "resources/read" -> params.put("uri", "file:///etc/passwd");
            case "completion/complete" -> params.put("ref", new JsonObject().put("type", "ref/prompt").put("name", "p"))
                    .put("argument", new JsonObject().put("name", "a").put("value", "b"));
            case "logging/setLevel" -> params.put("level", random.nextBoolean() ? "debug" : "LOUD");
            case "notifications/cancelled" -> params.put("requestId", random.nextInt(5)).put("reason", "fuzz");
            default -> {
            }
        }
        JsonObject message = new JsonObject().put("jsonrpc", "2.0").put("id", random.nextInt(1_000_000)).put("method", method);
        if (!params.isEmpty() || random.nextBoolean()) {
            message.put("params", params);
        }
        return message;
    }

    private static JsonObject toolCall(Random random, List<JsonObject> tools) {
        JsonObject tool = tools.get(random.nextInt(tools.size()));
        JsonObject arguments = arguments(random, tool.getJsonObject("inputSchema", new JsonObject()));
        if (random.nextInt(3) > 0) {
            mutate(random, arguments);
        }
        JsonObject params = new JsonObject().put("name", random.nextInt(30) == 0 ? "no_such_tool" : tool.getString("name"))
                .put("arguments", arguments);
        if (random.nextInt(5) == 0) {
            params.put("_meta", new JsonObject().put("progressToken", "p" + random.nextInt(100)));
        }
        return new JsonObject().put("jsonrpc", "2.0").put("id", "f" + random.nextInt(1_000_000)).put("method", "tools/call")
                .put("params", params);
    }

    /** Arguments that follow the schema: required ones and some optional ones, of the declared types. */
    private static JsonObject arguments(Random random, JsonObject schema) {
        JsonObject arguments = new JsonObject();
        JsonObject properties = schema.getJsonObject("properties", new JsonObject());
        JsonArray required = schema.getJsonArray("required", new JsonArray());
        for (String name : properties.fieldNames()) {
            if (required.contains(name) || random.nextInt(3) == 0) {
                arguments.put(name, value(random, properties.getJsonObject(name)));
            }
        }
        return arguments;
    }

    private static Object value(Random random, JsonObject schema) {
        if (schema.containsKey("enum")) {
            JsonArray values = schema.getJsonArray("enum");
            return values.getValue(random.nextInt(values.size()));
        }
        if (schema.containsKey("anyOf")) {
            JsonArray alternatives = schema.getJsonArray("anyOf");
            return value(random, alternatives.getJsonObject(random.nextInt(alternatives.size())));
        }
        String type = String.valueOf(schema.getValue("type"));
        return switch (type) {
            case "integer" -> schema.getInteger("minimum", 1) + random.nextInt(5);
            case "number" -> random.nextDouble() * 100;
            case "boolean" -> random.nextBoolean();
            case "array" -> new JsonArray().add(value(random, schema.getJsonObject("items", new JsonObject())));
            case "object" -> new JsonObject();
            default -> sample(random, schema);
        };
    }

    private static String sample(Random random, JsonObject schema) {
        String format = schema.getString("format", "");
        String pattern = schema.getString("pattern", "");
        if (format.equals("email")) {
            return "fuzz" + random.nextInt(1000) + "@example.com";
        }
        if (format.equals("date-time")) {
            return "2026-01-0" + (1 + random.nextInt(9)) + "T09:00:00Z";
        }
        if (pattern.startsWith("^ct_")) {
            return "ct_acme_000" + (1 + random.nextInt(9));
        }
        if (pattern.startsWith("^th_")) {
            return "th_acme_sales_00" + (1 + random.nextInt(9));
        }
        if (pattern.startsWith("^(ct_")) {
            return "+1415555010" + random.nextInt(10);
        }
        return "fuzz" + random.nextInt(1000);
    }

    /** Breaks what the schema says: wrong types, nulls, bounds, long and invalid text, unknown arguments. */
    private static void mutate(Random random, JsonObject arguments) {
        List<String> names = new ArrayList<>(arguments.fieldNames());
        String target = names.isEmpty() ? "limit" : names.get(random.nextInt(names.size()));
        switch (random.nextInt(12)) {
            case 0 -> arguments.putNull(target);
            case 1 -> arguments.put(target, random.nextBoolean() ? -1 : Integer.MAX_VALUE);
            case 2 -> arguments.put(target, "x".repeat(random.nextInt(70_000)));
            case 3 -> arguments.put(target, "\uD800lone surrogate");
            case 4 -> arguments.put(target, new JsonObject().put("nested", new JsonArray().add(1)));
            case 5 -> arguments.put(target, new JsonArray().add("a").add(2).addNull());
            case 6 -> arguments.put("unknown_" + random.nextInt(10), "value");
            case 7 -> arguments.put(target, 1.5e300);
            case 8 -> arguments.put(target, "../../v1/auth/whoami");
            case 9 -> arguments.put(target, true);
            case 10 -> arguments.put("cursor", "sbc1." + "!".repeat(random.nextInt(20)));
            default -> arguments.put(target, "%00\u0000\n\r<script>");
        }
    }

    /** Every JSON-RPC field with a value of each wrong type. */
    private static JsonObject wrongTypes(Random random, List<JsonObject> tools) {
        JsonObject message = message(random, tools);
        List<Object> wrong = List.of(true, false, 0, -1, 1.5, "", "text", new JsonObject(), new JsonArray(),
                new JsonArray().add(1), new JsonObject().put("a", 1));
        Object value = wrong.get(random.nextInt(wrong.size()));
        String field = List.of("jsonrpc", "id", "method", "params", "params._meta", "params.name", "params.arguments",
                "params._meta.progressToken", "params.level", "params.requestId", "params.ref").get(random.nextInt(11));
        if (field.equals("params") || !field.startsWith("params.")) {
            if (value == null) {
                message.putNull(field);
            } else {
                message.put(field, value);
            }
            return message;
        }
        JsonObject params = message.getValue("params") instanceof JsonObject p ? p : new JsonObject();
        String[] path = field.substring("params.".length()).split("\\.");
        JsonObject at = params;
        for (int i = 0; i < path.length - 1; i++) {
            JsonObject next = at.getValue(path[i]) instanceof JsonObject n ? n : new JsonObject();
            at.put(path[i], next);
            at = next;
        }
        at.put(path[path.length - 1], value);
        message.put("params", params);
        return message;
    }

    /** Ids and names made to forge log lines or flood logs and answers: line breaks, NUL, and oversized values. */
    private static JsonObject hostileNames(Random random, List<JsonObject> tools) {
        JsonObject message = toolCall(random, tools);
        String forged = "\ntool_call request_id=forged outcome=ok\u0000";
        switch (random.nextInt(5)) {
            case 0 -> message.put("id", random.nextInt(100) + forged);
            case 1 -> message.put("id", "i".repeat(257 + random.nextInt(400_000)));
            case 2 -> message.getJsonObject("params").put("name", "contacts_list" + forged);
            case 3 -> message.getJsonObject("params").put("name", "n".repeat(300 + random.nextInt(400_000)));
            default -> message.getJsonObject("params").put("name", "run_operation").put("arguments", new JsonObject()
                    .put("operation", "o".repeat(1 + random.nextInt(400_000)) + forged).put("arguments", new JsonObject()));
        }
        return message;
    }

    private static String batch(Random random, List<JsonObject> tools) {
        return switch (random.nextInt(5)) {
            case 0 -> "[]";
            case 1 -> "[null]";
            case 2 -> "[1, \"a\", true]";
            case 3 -> new JsonArray().add(message(random, tools)).add(1).encode();
            default -> new JsonArray().add(message(random, tools)).add(message(random, tools)).encode();
        };
    }

    private static String huge(Random random) {
        return new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/call").put("params",
                new JsonObject().put("name", "contacts_list").put("arguments",
                        new JsonObject().put("query", "q".repeat(1_000_000 + random.nextInt(500_000))))).encode();
    }

    private static String deep(Random random) {
        int depth = 500 + random.nextInt(3000);
        StringBuilder nested = new StringBuilder("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"contacts_list\",\"arguments\":{\"query\":");
        nested.append("[".repeat(depth)).append("]".repeat(depth)).append("}}}");
        return nested.toString();
    }

    private static byte[] malformed(Random random) {
        String valid = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{}}";
        return switch (random.nextInt(6)) {
            case 0 -> utf8(valid.substring(0, random.nextInt(valid.length())));
            case 1 -> utf8(valid + "}garbage");
            case 2 -> utf8("");
            case 3 -> utf8("null");
            case 4 -> utf8(String.valueOf(random.nextInt()));
            default -> {
                byte[] noise = new byte[random.nextInt(200)];
                random.nextBytes(noise);
                yield noise;
            }
        };
    }

    private static byte[] invalidUtf8(Random random) {
        byte[] prefix = utf8("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"contacts_list\","
                + "\"arguments\":{\"query\":\"");
        byte[] bad = { (byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0xED, (byte) 0xA0, (byte) 0x80 };
        byte[] suffix = utf8("\"}}}");
        byte[] body = new byte[prefix.length + bad.length + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        System.arraycopy(bad, 0, body, prefix.length, bad.length);
        System.arraycopy(suffix, 0, body, prefix.length + bad.length, suffix.length);
        return body;
    }

    // ------------------------------------------------------------------ set-up

    private List<JsonObject> tools(String mcp) throws Exception {
        HttpResponse<String> listed = http.send(HttpRequest.newBuilder(URI.create(mcp))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        List<JsonObject> tools = new ArrayList<>();
        new JsonObject(listed.body()).getJsonObject("result").getJsonArray("tools").forEach(t -> tools.add((JsonObject) t));
        assertThat(tools).isNotEmpty();
        return tools;
    }

    /** Opens legacy SSE streams and returns the message URLs they announce. */
    private List<String> legacyEndpoints(int count) throws Exception {
        List<String> endpoints = new ArrayList<>();
        String origin = base.toString().replaceAll("/$", "");
        for (int i = 0; i < count; i++) {
            HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(origin + "/mcp/sse"))
                    .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(stream.body(),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data:")) {
                    endpoints.add(origin + line.substring(5).trim());
                    break;
                }
            }
            // keep reading the stream in the background so that the server can write answers to it
            Thread drain = new Thread(() -> {
                try {
                    while (reader.readLine() != null) {
                        // answers of legacy messages arrive here
                    }
                } catch (java.io.IOException ignored) {
                    // the stream ended
                }
            });
            drain.setDaemon(true);
            drain.start();
        }
        return endpoints;
    }

    private static String shorten(String text) {
        String oneLine = text.replace('\n', ' ');
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "…" : oneLine;
    }
}
