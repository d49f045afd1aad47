// Load and latency figures of a running gateway, printed for the README and the team's notes.
// Run with bench/run.sh (which starts a sandbox, Redis-backed gateways and this), or alone:
//   java bench/Bench.java http://127.0.0.1:9001/mcp sbx_alice 20 16
// Arguments: MCP endpoint, API key, seconds per load phase, concurrent clients. Targets loopback only.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

public class Bench {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        String endpoint = args.length > 0 ? args[0] : "http://127.0.0.1:9001/mcp";
        String key = args.length > 1 ? args[1] : "sbx_alice";
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int clients = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        if (!URI.create(endpoint).getHost().matches("127\\.0\\.0\\.1|localhost|\\[?::1]?")) {
            throw new IllegalArgumentException("benchmarks target loopback only");
        }

        String list = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{}}";
        HttpResponse<String> first = post(endpoint, list, null);
        int tools = first.body().split("\"annotations\":\\{").length - 1;
        System.out.printf("tools/list: %d tools, %d bytes%n", tools, first.body().length());
        for (int i = 0; i < 200; i++) {
            post(endpoint, list, null); // warm-up
        }
        report("tools/list (1 client, sequential)", run(endpoint, list, null, 1, 5));

        String current = call("organizations_current", "{}");
        String contacts = call("contacts_list", "{\"limit\":25}");
        String search = call("inbox_threads_search", "{\"accountId\":\"sales@acme.test\",\"query\":\"invoice OR receipt\"}");
        for (int i = 0; i < 300; i++) {
            post(endpoint, contacts, key);
        }
        report("organizations_current (gateway only: tenancy + envelope)", run(endpoint, current, key, clients, seconds));
        report("contacts_list limit 25 (one upstream call)", run(endpoint, contacts, key, clients, seconds));
        report("inbox_threads_search (one upstream call)", run(endpoint, search, key, clients, seconds));
    }

    static String call(String tool, String arguments) {
        return "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":"
                + arguments + "}}";
    }

    record Result(List<Long> micros, int errors, double seconds) {
    }

    static Result run(String endpoint, String body, String key, int clients, int seconds) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Long> micros = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> workers = new ArrayList<>();
        long started = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            workers.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    long t = System.nanoTime();
                    try {
                        HttpResponse<String> response = post(endpoint, body, key);
                        String answer = response.body();
                        if (response.statusCode() != 200 || answer.contains("\"isError\":true")
                                || answer.matches("(?s)^[^{]*\\{\"jsonrpc\":\"2.0\",\"id\":[0-9]+,\"error\".*")) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    micros.add((System.nanoTime() - t) / 1000);
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        return new Result(new ArrayList<>(micros), errors.get(), (System.nanoTime() - started) / 1e9);
    }

    static void report(String name, Result result) {
        List<Long> sorted = new ArrayList<>(result.micros());
        Collections.sort(sorted);
        System.out.printf("%-58s %7.0f req/s  p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  errors %d of %d%n", name,
                sorted.size() / result.seconds(), pct(sorted, 50), pct(sorted, 95), pct(sorted, 99), result.errors(), sorted.size());
    }

    static double pct(List<Long> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100)) / 1000.0;
    }

    static HttpResponse<String> post(String endpoint, String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint)).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
