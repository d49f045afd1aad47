import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark of issue 10: starts every system on loopback, drives each with the same calls (closed loop at 1, 16
 * and 64 connections, open loop at fixed rates measured from each call's due time), checks every answer, reads CPU
 * time and resident memory of each process from /proc, and writes report.md, results.json and plot.png.
 * Started by bench/run.sh, which builds what it needs first; see bench/README.md.
 */
public final class Harness {

    // ---- settings (from bench/run.sh) ----
    static boolean smoke;
    static double seconds = 5;
    static double warmupSeconds = 15;
    static Path root = Path.of(".");
    static Path out;
    static String machine = "unknown";
    static Path gatewayJar;
    static Path echoJar;
    static Path aotApp;
    static String aotNote = "";
    static Path jdk25;

    static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    static final String MCP = "Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: 2025-06-18\r\n";
    static final String KEY = "Authorization: Bearer sbx_alice\r\n";
    /** The keyed-hash secret of the Redis-backed gateways (MCP_KEY_HASH_SECRET, required with REDIS_URL). */
    static final String KEY_HASH_SECRET = "bench-key-hash-secret-0123456789abcdef";
    static final String JVM_HEAP = "-Xmx512m";
    static final List<String> CONTAINER_JVM = List.of("-Xmx64m", "-Xms16m", "-XX:+UseSerialGC", "-Xss512k",
            "-XX:ReservedCodeCacheSize=48m", "-XX:MaxMetaspaceSize=96m");

    static final List<Map<String, Object>> PHASES = new ArrayList<>();
    static final Map<String, Object> RESULTS = new LinkedHashMap<>();
    static final List<String> FAILURES = new ArrayList<>();
    static final List<String> NOTES = new ArrayList<>();

    /** One call of a workload on a connection; answers null when the answer was right, else what was wrong. */
    interface Op {
        String run(Http connection, long seq) throws IOException;
    }

    /** A system under test: where it listens, its processes (for CPU and memory) and its workloads. */
    static final class Sys {
        final String id;
        final String label;
        final int port;
        final String path; // MCP endpoint, or null for direct REST
        final Procs.Proc main;
        final List<Procs.Proc> cpu = new ArrayList<>();
        final Map<String, Op> workloads = new LinkedHashMap<>();
        int redisPort = -1;
        int expectedTools;

        Sys(String id, String label, int port, String path, Procs.Proc main) {
            this.id = id;
            this.label = label;
            this.port = port;
            this.path = path;
            this.main = main;
        }
    }

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--warmup" -> warmupSeconds = Double.parseDouble(args[++i]);
                case "--root" -> root = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--machine" -> machine = args[++i];
                case "--aot-app" -> aotApp = Path.of(args[++i]);
                case "--aot-note" -> aotNote = args[++i];
                case "--jdk25" -> jdk25 = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        root = root.toAbsolutePath().normalize();
        gatewayJar = root.resolve("gateway/target/quarkus-app/quarkus-run.jar");
        echoJar = root.resolve("bench/echo/target/quarkus-app/quarkus-run.jar");
        if (out == null) {
            out = smoke ? root.resolve("target/bench-smoke") : root.resolve("bench/results/" + LocalDate.now() + "-" + machine);
        }
        Files.createDirectories(out);
        Procs.logs = root.resolve(smoke ? "target/bench-smoke/logs" : "target/bench/logs");
        Files.createDirectories(Procs.logs);
        Procs.pidFile = Path.of(System.getProperty("bench.pidfile", Procs.logs.resolve("pids").toString()));
        Runtime.getRuntime().addShutdownHook(new Thread(Procs::stopAll));
        long started = System.nanoTime();
        int exit = 0;
        try {
            run();
        } catch (Exception e) {
            e.printStackTrace();
            FAILURES.add("harness: " + e);
            exit = 2;
        } finally {
            Procs.stopAll();
        }
        RESULTS.put("durationSeconds", (System.nanoTime() - started) / 1e9);
        RESULTS.put("failures", FAILURES);
        RESULTS.put("notes", NOTES);
        Files.writeString(out.resolve("results.json"), Json.write(RESULTS));
        Report.write(out, RESULTS, PHASES, smoke);
        if (!smoke) {
            Report.plot(out, PHASES);
        }
        System.out.printf(Locale.ROOT, "bench: %s in %.0f s; report %s%n", FAILURES.isEmpty() ? "done" : FAILURES.size()
                + " wrong answers or failures", (System.nanoTime() - started) / 1e9, out.resolve("report.md"));
        FAILURES.stream().limit(20).forEach(f -> System.out.println("  " + f));
        System.exit(exit != 0 ? exit : FAILURES.isEmpty() ? 0 : 1);
    }

    // ------------------------------------------------------------------------------------------------------------
    static void run() throws Exception {
        RESULTS.put("date", LocalDate.now().toString());
        RESULTS.put("machine", machine);
        RESULTS.put("mode", smoke ? "smoke" : "full");
        RESULTS.put("environment", environment());
        RESULTS.put("phaseSeconds", seconds);
        RESULTS.put("warmupSeconds", warmupSeconds);

        // Redis of its own, the standalone sandbox, two gateways, the echo server and the TypeScript peer, in parallel
        int redisPort = Procs.freePort();
        Procs.Proc redis = Procs.start("redis", List.of("redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--protected-mode", "yes"), Map.of(), redisPort);
        int sandboxPort = Procs.freePort();
        Procs.Proc sandbox = Procs.start("sandbox", java(List.of("-Xmx1g"), gatewayJar),
                Map.of("MCP_SANDBOX_ONLY", "true", "MCP_PORT", String.valueOf(sandboxPort)), sandboxPort);
        String backend = "http://127.0.0.1:" + sandboxPort + "/sandbox";
        Procs.Proc gwMem = startGateway("gateway-inprocess", List.of(JVM_HEAP), backend, Map.of());
        Procs.Proc gwRedis = startGateway("gateway-redis", List.of(JVM_HEAP), backend,
                Map.of("REDIS_URL", "redis://127.0.0.1:" + redisPort, "MCP_KEY_HASH_SECRET", KEY_HASH_SECRET));
        int echoPort = Procs.freePort();
        Procs.Proc echo = Procs.start("echo", java(List.of(JVM_HEAP), echoJar), Map.of("QUARKUS_HTTP_PORT", String.valueOf(echoPort)),
                echoPort);
        int peerPort = Procs.freePort();
        Procs.Proc peer = Procs.start("ts-peer", List.of("node", root.resolve("bench/peer/server.mjs").toString()),
                Map.of("PEER_PORT", String.valueOf(peerPort), "SANDBOX_URL", backend), peerPort);

        awaitUp(redis, () -> Procs.redisPing(redisPort));
        Sys direct = new Sys("direct", "direct REST to the sandbox", sandboxPort, null, sandbox);
        direct.cpu.add(sandbox);
        Sys inproc = new Sys("gateway-inprocess", "gateway, in-process store", gwMem.port, "/mcp", gwMem);
        inproc.cpu.addAll(List.of(gwMem, sandbox));
        inproc.expectedTools = 34;
        Sys onRedis = new Sys("gateway-redis", "gateway, Redis store", gwRedis.port, "/mcp", gwRedis);
        onRedis.cpu.addAll(List.of(gwRedis, sandbox, redis));
        onRedis.redisPort = redisPort;
        onRedis.expectedTools = 34;
        Sys bare = new Sys("echo", "bare MCP echo server (same library)", echoPort, "/mcp", echo);
        bare.cpu.add(echo);
        bare.expectedTools = 1;
        Sys ts = new Sys("ts-peer", "TypeScript SDK peer (stateless proxy)", peerPort, "/mcp", peer);
        ts.cpu.addAll(List.of(peer, sandbox));
        ts.expectedTools = 4;
        List<Sys> systems = List.of(direct, inproc, onRedis, bare, ts);
        for (Sys s : systems) {
            awaitUp(s.main, () -> firstAnswer(s));
            defineWorkloads(s);
        }
        Map<String, Object> idle = new LinkedHashMap<>();
        for (Procs.Proc p : List.of(sandbox, gwMem, gwRedis, echo, peer, redis)) {
            idle.put(p.name, p.rssKb());
        }
        RESULTS.put("rssIdleKb", idle);
        RESULTS.put("systems", systems.stream().map(s -> Map.of("id", s.id, "label", s.label, "processes",
                s.cpu.stream().map(p -> p.name).toList())).toList());

        if (smoke) {
            for (Sys s : systems) {
                for (Map.Entry<String, Op> w : s.workloads.entrySet()) {
                    closed(s, w.getKey(), w.getValue(), 2, 0, 6, false);
                }
                String main = s == bare ? "echo" : "contacts_list";
                open(s, main, s.workloads.get(main), 50, 0.3, 4);
            }
            return;
        }

        // closed loop, every workload of every system, after a warm-up of that system
        Map<String, Object> rssLoad = new LinkedHashMap<>();
        for (Sys s : systems) {
            warmUp(s, warmupSeconds);
            long maxRss = 0;
            for (Map.Entry<String, Op> w : s.workloads.entrySet()) {
                for (int c : new int[] { 1, 16, 64 }) {
                    Map<String, Object> phase = closed(s, w.getKey(), w.getValue(), c, seconds, 0, c == 64);
                    if (c == 64) {
                        maxRss = Math.max(maxRss, ((Number) phase.getOrDefault("rssMaxKb", 0L)).longValue());
                    }
                }
            }
            rssLoad.put(s.main.name, maxRss);
            rssLoad.put(s.main.name + " after", s.main.rssKb());
        }
        RESULTS.put("rssUnder64Kb", rssLoad);

        // open loop at fixed rates
        for (Sys s : systems) {
            String main = s == bare ? "echo" : "contacts_list";
            for (int rate : new int[] { 200, 500, 1000 }) {
                open(s, main, s.workloads.get(main), rate, Math.max(seconds * 2, 4), 64);
            }
        }

        // memory with JVM options for a small (256 MiB) container, on Redis as deployed
        containerRow(backend, redisPort);

        // tools/list and tools/call with the curated set, all operations, and a 1,000-operation contract
        scaling(inproc, backend);

        // cold start: stop the long-running systems first so that only the sandbox runs beside the process started
        for (Procs.Proc p : List.of(gwMem, gwRedis, echo, peer)) {
            p.stop();
        }
        coldStarts(backend);
    }

    static Map<String, Object> environment() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("cpu", cpuModel());
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        env.put("jdk25", jdk25 == null ? "not used" : command(List.of(jdk25.resolve("bin/java").toString(), "-version")));
        env.put("node", command(List.of("node", "--version")));
        env.put("redis", command(List.of("redis-server", "--version")));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        return env;
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String command(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            return text.lines().findFirst().orElse("");
        } catch (IOException | InterruptedException e) {
            return "not found";
        }
    }

    static List<String> java(List<String> options, Path jar) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    static Map<String, String> gatewayEnv(int port, String backend, Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MCP_PORT", String.valueOf(port));
        env.put("MCP_BACKEND_BASE_URL", backend);
        env.put("MCP_RATE_LIMIT_PER_MINUTE", "0");
        env.put("MCP_SESSION_FILE", "");
        env.put("MCP_LIMITS_SESSIONS_PER_CLIENT", "1000");
        env.put("MCP_LIMITS_AUTH_FAILURES_PER_MINUTE", "0");
        // the drain must cover the request timeout (45 s, checked at start-up); with no call in flight a stop is immediate
        env.put("MCP_SHUTDOWN_DRAIN_SECONDS", "47");
        env.putAll(extra);
        return env;
    }

    static Procs.Proc startGateway(String name, List<String> options, String backend, Map<String, String> extra) throws IOException {
        int port = Procs.freePort();
        return Procs.start(name, java(options, gatewayJar), gatewayEnv(port, backend, extra), port);
    }

    interface Probe {
        boolean ok() throws Exception;
    }

    static void awaitUp(Procs.Proc p, Probe probe) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!p.alive()) {
                throw new IllegalStateException(p + " exited; see " + p.log);
            }
            try {
                if (probe.ok()) {
                    return;
                }
            } catch (Exception e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(p + " did not answer within 120 s (" + last + "); see " + p.log);
    }

    static boolean firstAnswer(Sys s) throws Exception {
        try (Http c = new Http(s.port, 5000)) {
            if (s.path == null) {
                return c.send("GET", "/q/health/ready", null, null).status() == 200;
            }
            mcpOpen(c, s.path);
            String tool = s.id.equals("echo") ? "echo" : "contacts_get";
            String args = s.id.equals("echo") ? "{\"text\":\"hello\"}" : "{\"contactId\":\"ct_acme_0001\"}";
            Http.Answer a = c.send("POST", s.path, MCP + KEY, call(1, tool, args));
            return a.status() == 200 && a.body().contains("\"result\"") && !a.body().contains("\"isError\":true");
        }
    }

    // ---- MCP -----------------------------------------------------------------------------------------------------
    static String call(long id, String tool, String args) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":" + args + "}}";
    }

    static void mcpOpen(Http c, String path) throws IOException {
        Http.Answer init = c.send("POST", path, "Accept: application/json, text/event-stream\r\n",
                "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                        + "\"capabilities\":{},\"clientInfo\":{\"name\":\"switchboard-bench\",\"version\":\"1\"}}}");
        if (init.status() != 200 || !init.body().contains("\"protocolVersion\"")) {
            throw new IOException("initialize answered " + init.status() + ": " + abbreviate(init.body()));
        }
        c.sessionId = init.sessionId();
        Http.Answer ack = c.send("POST", path, MCP, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        if (ack.status() >= 300) {
            throw new IOException("notifications/initialized answered " + ack.status());
        }
    }

    static Http connect(Sys s) throws IOException {
        Http c = new Http(s.port, 60_000);
        if (s.path != null) {
            mcpOpen(c, s.path);
        }
        return c;
    }

    static void disconnect(Sys s, Http c) {
        if (s.path != null && c.sessionId != null && c.isOpen()) {
            try {
                c.send("DELETE", s.path, MCP, null);
            } catch (IOException e) {
                // the session ends with the connection anyway
            }
        }
        c.close();
    }

    static String abbreviate(String text) {
        String flat = text.replaceAll("\\s+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }

    static final Pattern CONTACT = Pattern.compile("ct_acme_[0-9]+");
    static final Pattern THREAD = Pattern.compile("th_acme_sales_[0-9]+");
    static final Pattern TOOL = Pattern.compile("\"name\":\"[^\"]+\"");

    static int distinct(Pattern pattern, String body) {
        Set<String> seen = new HashSet<>();
        Matcher m = pattern.matcher(body);
        while (m.find()) {
            seen.add(m.group());
        }
        return seen.size();
    }

    static int count(Pattern pattern, String body) {
        int n = 0;
        Matcher m = pattern.matcher(body);
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Every answer is checked: the status, a JSON-RPC result that is not a tool error, and the expected content. */
    interface Check {
        String check(String body, long seq);
    }

    static final int EXPECTED_CONTACTS = 25;
    static final int EXPECTED_THREADS = 7;

    static String expectContacts(String body) {
        int n = distinct(CONTACT, body);
        return n == EXPECTED_CONTACTS ? null : "contacts_list: " + n + " contacts, expected " + EXPECTED_CONTACTS;
    }

    static String expectThreads(String body) {
        int n = distinct(THREAD, body);
        return n == EXPECTED_THREADS ? null : "inbox_threads_search: " + n + " threads, expected " + EXPECTED_THREADS;
    }

    static String contains(String body, String... parts) {
        for (String part : parts) {
            if (!body.contains(part)) {
                return "answer lacks " + part + ": " + abbreviate(body);
            }
        }
        return null;
    }

    static String email(Sys s, long seq) {
        return "bench-" + RUN + "-" + s.id + "-" + Thread.currentThread().getId() + "-" + seq + "@example.com";
    }

    static Op tool(Sys s, String name, java.util.function.LongFunction<String> args, String headers, Check check) {
        AtomicLong ids = new AtomicLong(10);
        return (c, seq) -> {
            String arguments = args.apply(seq);
            Http.Answer a = c.send("POST", s.path, MCP + KEY + headers, call(ids.incrementAndGet(), name, arguments));
            String body = a.body();
            if (a.status() != 200) {
                return name + ": HTTP " + a.status() + " " + abbreviate(body);
            }
            if (!body.contains("\"result\"") || body.contains("\"isError\":true") || body.contains("\"error\":{")) {
                return name + ": " + abbreviate(body);
            }
            return check.check(body, seq);
        };
    }

    static Op rest(Sys s, String method, java.util.function.LongFunction<String> path, java.util.function.LongFunction<String> body,
            int status, Check check) {
        return (c, seq) -> {
            String payload = body == null ? null : body.apply(seq);
            String headers = "Accept: application/json\r\n" + KEY
                    + (payload == null ? "" : "Idempotency-Key: bench-" + RUN + "-" + Thread.currentThread().getId() + "-" + seq + "\r\n");
            Http.Answer a = c.send(method, "/sandbox" + path.apply(seq), headers, payload);
            if (a.status() != status) {
                return method + " " + path.apply(seq) + ": HTTP " + a.status() + " " + abbreviate(a.body());
            }
            return check.check(a.body(), seq);
        };
    }

    static void defineWorkloads(Sys s) {
        String org = "/v1/organizations/org_acme";
        String search = "{\"accountId\":\"sales@acme.test\",\"query\":\"invoice OR receipt\"}";
        // writes go to org_globex so that the contact list read in org_acme stays the same page all run long
        String globex = "X-Company-ID: org_globex\r\n";
        switch (s.id.startsWith("gateway") ? "gateway" : s.id) {
            case "direct" -> {
                s.workloads.put("contacts_get", rest(s, "GET", q -> org + "/contacts/ct_acme_0001", null, 200,
                        (b, q) -> contains(b, "farid.brooks1@example.org")));
                s.workloads.put("contacts_list", rest(s, "GET", q -> org + "/contacts?limit=25", null, 200, (b, q) -> expectContacts(b)));
                s.workloads.put("inbox_threads_search", rest(s, "GET",
                        q -> org + "/inbox/accounts/sales@acme.test/threads/search?query=invoice%20OR%20receipt", null, 200,
                        (b, q) -> expectThreads(b)));
                s.workloads.put("contacts_create", createRest(s));
            }
            case "gateway" -> {
                s.workloads.put("tools_list", toolsList(s));
                s.workloads.put("organizations_current", tool(s, "organizations_current", q -> "{}", "",
                        (b, q) -> contains(b, "Alice Archer", "org_acme")));
                s.workloads.put("contacts_get", tool(s, "contacts_get", q -> "{\"contactId\":\"ct_acme_0001\"}", "",
                        (b, q) -> contains(b, "farid.brooks1@example.org")));
                s.workloads.put("contacts_list", tool(s, "contacts_list", q -> "{\"limit\":25}", "", (b, q) -> expectContacts(b)));
                s.workloads.put("inbox_threads_search", tool(s, "inbox_threads_search", q -> search, "", (b, q) -> expectThreads(b)));
                s.workloads.put("contacts_create", createTool(s, globex));
                s.workloads.put("run_operation", tool(s, "run_operation",
                        q -> "{\"operation\":\"contacts_get\",\"arguments\":{\"contactId\":\"ct_acme_0002\"}}", "",
                        (b, q) -> contains(b, "kara.dubois2@example.org")));
            }
            case "echo" -> {
                s.workloads.put("tools_list", toolsList(s));
                s.workloads.put("echo", tool(s, "echo", q -> "{\"text\":\"echo-" + q + "\"}", "", (b, q) -> contains(b, "echo-" + q)));
            }
            case "ts-peer" -> {
                s.workloads.put("tools_list", toolsList(s));
                s.workloads.put("contacts_get", tool(s, "contacts_get", q -> "{\"contactId\":\"ct_acme_0001\"}", "",
                        (b, q) -> contains(b, "farid.brooks1@example.org")));
                s.workloads.put("contacts_list", tool(s, "contacts_list", q -> "{\"limit\":25}", "", (b, q) -> expectContacts(b)));
                s.workloads.put("inbox_threads_search", tool(s, "inbox_threads_search", q -> search, "", (b, q) -> expectThreads(b)));
                s.workloads.put("contacts_create", createTool(s, globex));
            }
            default -> throw new IllegalStateException(s.id);
        }
    }

    static Op toolsList(Sys s) {
        AtomicLong ids = new AtomicLong(10);
        return (c, seq) -> {
            Http.Answer a = c.send("POST", s.path, MCP, "{\"jsonrpc\":\"2.0\",\"id\":" + ids.incrementAndGet() + ",\"method\":\"tools/list\"}");
            int n = distinct(TOOL, a.body());
            // the first page: the gateway lists at most 200 tools per page (quarkus.mcp.server.tools.page-size)
            int expected = Math.min(s.expectedTools, 200);
            if (a.status() != 200 || n != expected) {
                return "tools/list: HTTP " + a.status() + ", " + n + " tools, expected " + expected;
            }
            return null;
        };
    }

    static Op createTool(Sys s, String headers) {
        return (c, seq) -> {
            String mail = email(s, seq);
            Op op = tool(s, "contacts_create", q -> "{\"email\":\"" + mail + "\",\"firstName\":\"Bench\",\"idempotencyKey\":\"bench-"
                    + RUN + "-" + Thread.currentThread().getId() + "-" + q + "\"}", headers, (b, q) -> contains(b, mail, "ct_globex_"));
            return op.run(c, seq);
        };
    }

    static Op createRest(Sys s) {
        return (c, seq) -> {
            String mail = email(s, seq);
            Op op = rest(s, "POST", q -> "/v1/organizations/org_globex/contacts", q -> "{\"email\":\"" + mail + "\",\"firstName\":\"Bench\"}",
                    201, (b, q) -> contains(b, mail, "ct_globex_"));
            return op.run(c, seq);
        };
    }

    // ---- load --------------------------------------------------------------------------------------------------
    static final class Latencies {
        long[] values = new long[1 << 14];
        int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }
    }

    static void warmUp(Sys s, double secs) throws Exception {
        if (secs <= 0) {
            return;
        }
        List<Op> ops = new ArrayList<>(s.workloads.values());
        Op mixed = (c, seq) -> ops.get((int) (seq % ops.size())).run(c, seq);
        System.out.printf(Locale.ROOT, "bench: warming up %s for %.0f s%n", s.id, secs);
        closed(s, "warm-up", mixed, 16, secs, 0, false);
        PHASES.remove(PHASES.size() - 1);
    }

    /** One call on connection {@code k}; a call that fails to reach the system reconnects it. The error, or null. */
    static String call(Sys s, Op op, String workload, List<Http> conns, int k, long n) {
        Http c = conns.get(k);
        try {
            return op.run(c, n);
        } catch (Exception e) {
            c.close();
            try {
                conns.set(k, connect(s));
            } catch (IOException again) {
                LockSupport.parkNanos(100_000_000L);
            }
            return workload + ": " + e;
        }
    }

    /** Counts a wrong answer and keeps the first few for the report. */
    static void record(String error, AtomicLong errors, ConcurrentLinkedQueue<String> messages) {
        if (error != null) {
            errors.incrementAndGet();
            if (messages.size() < 5) {
                messages.add(error);
            }
        }
    }

    /** Closed loop: {@code connections} workers, each sending its next call when the last one answered. */
    static Map<String, Object> closed(Sys s, String workload, Op op, int connections, double secs, long maxCalls, boolean sampleRss)
            throws Exception {
        List<Http> conns = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            conns.add(connect(s));
        }
        AtomicLong next = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        ConcurrentLinkedQueue<String> messages = new ConcurrentLinkedQueue<>();
        Latencies[] latencies = new Latencies[connections];
        CountDownLatch go = new CountDownLatch(1);
        long[] deadline = new long[1];
        Thread[] threads = new Thread[connections];
        for (int i = 0; i < connections; i++) {
            int k = i;
            latencies[k] = new Latencies();
            threads[k] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                while (true) {
                    long n = next.getAndIncrement();
                    if (maxCalls > 0 ? n >= maxCalls : System.nanoTime() >= deadline[0]) {
                        break;
                    }
                    long t = System.nanoTime();
                    String error = call(s, op, workload, conns, k, n);
                    latencies[k].add(System.nanoTime() - t);
                    record(error, errors, messages);
                }
            }, "closed-" + k);
            threads[k].start();
        }
        Snapshot before = Snapshot.take(s);
        long t0 = System.nanoTime();
        deadline[0] = t0 + (long) (secs * 1e9);
        go.countDown();
        long rssMax = 0;
        if (sampleRss) {
            while (alive(threads)) {
                rssMax = Math.max(rssMax, s.main.rssKb());
                Thread.sleep(200);
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        long t1 = System.nanoTime();
        Snapshot after = Snapshot.take(s);
        conns.forEach(c -> disconnect(s, c));
        Map<String, Object> phase = summary(s, workload, "closed", connections, latencies, errors.get(), messages, t1 - t0, before, after);
        if (sampleRss) {
            phase.put("rssMaxKb", rssMax);
        }
        return phase;
    }

    static boolean alive(Thread[] threads) {
        for (Thread t : threads) {
            if (t.isAlive()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Open loop: call i is due at start + i / rate, whatever happened to the calls before it; its latency is measured from
     * that due time, so a stall counts against every call it delays (no coordinated omission).
     */
    static Map<String, Object> open(Sys s, String workload, Op op, int rate, double secs, int connections) throws Exception {
        List<Http> conns = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            conns.add(connect(s));
        }
        long total = (long) (rate * secs);
        double interval = 1e9 / rate;
        AtomicLong next = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        ConcurrentLinkedQueue<String> messages = new ConcurrentLinkedQueue<>();
        Latencies[] latencies = new Latencies[connections];
        long start = System.nanoTime() + 100_000_000L;
        long hardEnd = start + (long) (secs * 1e9) + 20_000_000_000L;
        Thread[] threads = new Thread[connections];
        Snapshot before = Snapshot.take(s);
        for (int i = 0; i < connections; i++) {
            int k = i;
            latencies[k] = new Latencies();
            threads[k] = new Thread(() -> {
                while (true) {
                    long n = next.getAndIncrement();
                    if (n >= total) {
                        break;
                    }
                    long due = start + (long) (n * interval);
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    if (System.nanoTime() > hardEnd) {
                        latencies[k].add(System.nanoTime() - due);
                        errors.incrementAndGet();
                        if (messages.size() < 5) {
                            messages.add(workload + ": not sent within 20 s of the phase's end");
                        }
                        continue;
                    }
                    String error = call(s, op, workload, conns, k, n);
                    latencies[k].add(System.nanoTime() - due);
                    record(error, errors, messages);
                }
            }, "open-" + k);
            threads[k].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long t1 = System.nanoTime();
        Snapshot after = Snapshot.take(s);
        conns.forEach(c -> disconnect(s, c));
        Map<String, Object> phase = summary(s, workload, "open", rate, latencies, errors.get(), messages, t1 - start, before, after);
        phase.put("offeredPerSecond", rate);
        return phase;
    }

    /** CPU ticks of each process of a system (and of the harness), and the Redis command count, at one instant. */
    record Snapshot(Map<String, Long> ticks, Map<String, Long> redis) {
        static Snapshot take(Sys s) {
            Map<String, Long> ticks = new LinkedHashMap<>();
            for (Procs.Proc p : s.cpu) {
                ticks.put(p.name, p.cpuTicks());
            }
            ticks.put("harness", Procs.cpuTicks(ProcessHandle.current().pid()));
            return new Snapshot(ticks, s.redisPort > 0 ? Procs.redisCommandStats(s.redisPort) : Map.of());
        }
    }

    static Map<String, Object> summary(Sys s, String workload, String mode, int level, Latencies[] latencies, long errors,
            ConcurrentLinkedQueue<String> messages, long nanos, Snapshot before, Snapshot after) {
        int n = 0;
        for (Latencies l : latencies) {
            n += l.size;
        }
        long[] all = new long[n];
        int at = 0;
        for (Latencies l : latencies) {
            System.arraycopy(l.values, 0, all, at, l.size);
            at += l.size;
        }
        Arrays.sort(all);
        Map<String, Object> phase = new LinkedHashMap<>();
        phase.put("system", s.id);
        phase.put("workload", workload);
        phase.put("mode", mode);
        phase.put(mode.equals("open") ? "rate" : "connections", level);
        phase.put("calls", n);
        phase.put("errors", errors);
        phase.put("seconds", nanos / 1e9);
        phase.put("callsPerSecond", n / (nanos / 1e9));
        phase.put("p50Ms", percentile(all, 50));
        phase.put("p99Ms", percentile(all, 99));
        phase.put("p999Ms", percentile(all, 99.9));
        phase.put("maxMs", n == 0 ? 0.0 : all[n - 1] / 1e6);
        Map<String, Object> cpu = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : after.ticks().entrySet()) {
            long delta = e.getValue() - before.ticks().getOrDefault(e.getKey(), e.getValue());
            cpu.put(e.getKey(), n == 0 ? 0.0 : delta * 10_000.0 / n); // 100 ticks per second: 10,000 µs a tick
        }
        phase.put("cpuMicrosPerCall", cpu);
        if (!after.redis().isEmpty() && n > 0) {
            long total = 0;
            Map<String, Object> byCommand = new LinkedHashMap<>();
            for (Map.Entry<String, Long> e : after.redis().entrySet()) {
                long delta = e.getValue() - before.redis().getOrDefault(e.getKey(), 0L);
                if (delta > 0) {
                    total += delta;
                    byCommand.put(e.getKey(), delta / (double) n);
                }
            }
            phase.put("redisCommandsPerCall", total / (double) n);
            phase.put("redisCommandsPerCallByName", byCommand);
        }
        phase.put("firstErrors", new ArrayList<>(messages));
        PHASES.add(phase);
        if (errors > 0 && !workload.equals("warm-up")) {
            FAILURES.add(s.id + " " + workload + " " + mode + " " + level + ": " + errors + " of " + n + " wrong; first: " + messages.peek());
        }
        System.out.printf(Locale.ROOT, "bench: %-18s %-22s %-6s %5d  %8.0f calls/s  p50 %7.2f ms  p99 %7.2f ms  errors %d%n", s.id, workload,
                mode, level, n / (nanos / 1e9), percentile(all, 50), percentile(all, 99), errors);
        return phase;
    }

    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    // ---- the other rows ------------------------------------------------------------------------------------------
    static void containerRow(String backend, int redisPort) throws Exception {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("REDIS_URL", "redis://127.0.0.1:" + redisPort);
        extra.put("MCP_KEY_HASH_SECRET", KEY_HASH_SECRET);
        extra.put("MALLOC_ARENA_MAX", "2");
        Procs.Proc p = startGateway("gateway-container-options", CONTAINER_JVM, backend, extra);
        Sys s = new Sys("gateway-container", "gateway, Redis store, small-memory JVM options", p.port, "/mcp", p);
        s.cpu.add(p);
        s.expectedTools = 34;
        s.redisPort = redisPort;
        try {
            awaitUp(p, () -> firstAnswer(s));
            defineWorkloads(s);
            long idle = p.rssKb();
            warmUp(s, Math.max(warmupSeconds / 2, 5));
            Map<String, Object> phase = closed(s, "contacts_list", s.workloads.get("contacts_list"), 64, Math.max(seconds * 2, 4), 0, true);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("jvmOptions", String.join(" ", CONTAINER_JVM) + " (MALLOC_ARENA_MAX=2)");
            row.put("rssIdleKb", idle);
            row.put("rssMaxUnder64Kb", phase.get("rssMaxKb"));
            row.put("rssAfterKb", p.rssKb());
            row.put("callsPerSecond", phase.get("callsPerSecond"));
            row.put("errors", phase.get("errors"));
            row.put("p99Ms", phase.get("p99Ms"));
            RESULTS.put("containerOptions", row);
        } finally {
            p.stop();
        }
    }

    static void scaling(Sys curated, String backend) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(scalingRow("curated", curated, null));
        for (String variant : List.of("all", "synthetic-1000")) {
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put("MCP_EXPOSE_ALL_OPERATIONS", "1");
            if (variant.equals("synthetic-1000")) {
                Path contract = Contracts.synthetic(root.resolve("contract/src/main/openapi/workspace-api.yaml"), 1000, Procs.logs);
                extra.put("MCP_CONTRACT_FILE", contract.toString());
            }
            Procs.Proc p = startGateway("gateway-" + variant, List.of(JVM_HEAP), backend, extra);
            Sys s = new Sys("gateway-" + variant, "gateway, " + variant, p.port, "/mcp", p);
            s.cpu.addAll(curated.cpu);
            s.cpu.set(0, p);
            try {
                awaitUp(p, () -> firstAnswer(s));
                s.expectedTools = toolCount(s);
                if (variant.equals("synthetic-1000") && s.expectedTools < 900) {
                    rows.add(Map.of("variant", variant, "tools", s.expectedTools, "note",
                            "not measurable: the gateway listed " + s.expectedTools + " tools from the 1,000-operation contract"));
                    NOTES.add("synthetic 1,000-operation contract (MCP_CONTRACT_FILE): the gateway listed only " + s.expectedTools
                            + " tools (all pages), so the contract file did not take effect; the row is not measurable");
                    continue;
                }
                defineWorkloads(s);
                rows.add(scalingRow(variant, s, p));
            } finally {
                p.stop();
            }
        }
        RESULTS.put("toolCountScaling", rows);
    }

    /** Every tool the gateway lists, following nextCursor as clients do (the gateway pages tools/list at 200). */
    static int toolCount(Sys s) throws IOException {
        Pattern next = Pattern.compile("\"nextCursor\"\\s*:\\s*\"([^\"]+)\"");
        int tools = 0;
        String cursor = null;
        try (Http c = connect(s)) {
            for (int page = 0; page < 100; page++) {
                String params = cursor == null ? "" : ",\"params\":{\"cursor\":\"" + cursor + "\"}";
                String body = c.send("POST", s.path, MCP, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"" + params + "}").body();
                tools += distinct(TOOL, body);
                Matcher more = next.matcher(body);
                if (!more.find()) {
                    break;
                }
                cursor = more.group(1);
            }
        }
        return tools;
    }

    static Map<String, Object> scalingRow(String variant, Sys s, Procs.Proc fresh) throws Exception {
        if (fresh != null) {
            Op list = s.workloads.get("tools_list");
            Op contacts = s.workloads.get("contacts_list");
            Op mixed = (c, seq) -> (seq % 8 == 0 ? list : contacts).run(c, seq);
            closed(s, "warm-up", mixed, 16, Math.max(warmupSeconds * 2 / 3, 5), 0, false);
            PHASES.remove(PHASES.size() - 1);
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("variant", variant);
        row.put("tools", s.expectedTools);
        int bytes;
        try (Http c = connect(s)) {
            bytes = c.send("POST", s.path, MCP, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}").body().length();
        }
        row.put("toolsListBytes", bytes);
        for (String w : List.of("tools_list", "contacts_list")) {
            Map<String, Object> phase = closed(s, w, s.workloads.get(w), 16, seconds, 0, false);
            phase.put("scalingVariant", variant);
            row.put(w + "CallsPerSecond", phase.get("callsPerSecond"));
            row.put(w + "P50Ms", phase.get("p50Ms"));
            row.put(w + "GatewayCpuMicros", ((Map<?, ?>) phase.get("cpuMicrosPerCall")).get(s.main.name));
            row.put(w + "Errors", phase.get("errors"));
        }
        row.put("rssKb", s.main.rssKb());
        return row;
    }

    static void coldStarts(String backend) throws Exception {
        Map<String, Object> cold = new LinkedHashMap<>();
        cold.put("gateway JDK 17", coldStart("gateway-cold", java(List.of(JVM_HEAP), gatewayJar), backend, true));
        cold.put("echo JDK 17", coldStart("echo-cold", java(List.of(JVM_HEAP), echoJar), backend, false));
        if (aotApp != null && jdk25 != null) {
            Path jar = aotApp.resolve("quarkus-run.jar");
            Path cache = aotApp.resolve("app.aot");
            String java25 = jdk25.resolve("bin/java").toString();
            cold.put("gateway JDK 25 (no AOT cache)", coldStart("gateway-cold-jdk25", List.of(java25, JVM_HEAP, "-jar", jar.toString()), backend, true));
            try {
                if (!Files.exists(cache)) {
                    train(java25, jar, cache, backend);
                }
                if (Files.exists(cache)) {
                    cold.put("gateway JDK 25 AOT cache", coldStart("gateway-cold-aot",
                            List.of(java25, JVM_HEAP, "-XX:AOTCache=" + cache, "-jar", jar.toString()), backend, true));
                } else {
                    NOTES.add("AOT cache: the training run wrote no " + cache + "; see " + Procs.logs.resolve("gateway-aot-training.log"));
                }
            } catch (Exception e) {
                NOTES.add("AOT cache: " + e.getMessage());
            }
        } else if (!aotNote.isEmpty()) {
            NOTES.add(aotNote);
        }
        RESULTS.put("coldStartMs", cold);
    }

    /** The AOT cache's training run: start with -XX:AOTCacheOutput, drive every workload, stop; the JVM writes the cache. */
    static void train(String java25, Path jar, Path cache, String backend) throws Exception {
        int port = Procs.freePort();
        Procs.Proc p = Procs.start("gateway-aot-training", List.of(java25, JVM_HEAP, "-XX:AOTCacheOutput=" + cache, "-jar", jar.toString()),
                gatewayEnv(port, backend, Map.of()), port);
        Sys s = new Sys("gateway-aot-training", "training", port, "/mcp", p);
        s.cpu.add(p);
        s.expectedTools = 34;
        try {
            awaitUp(p, () -> firstAnswer(s));
            defineWorkloads(s);
            for (Map.Entry<String, Op> w : s.workloads.entrySet()) {
                closed(s, w.getKey(), w.getValue(), 4, 0, 200, false);
                PHASES.remove(PHASES.size() - 1);
            }
        } finally {
            p.process.destroy();
            p.process.waitFor(180, java.util.concurrent.TimeUnit.SECONDS);
            p.stop();
        }
    }

    /** Process start to the first successful tools/call, three times; the median and the runs. */
    static Map<String, Object> coldStart(String name, List<String> command, String backend, boolean gateway) throws Exception {
        List<Double> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int port = Procs.freePort();
            Map<String, String> env = gateway ? gatewayEnv(port, backend, Map.of()) : Map.of("QUARKUS_HTTP_PORT", String.valueOf(port));
            Sys s = new Sys(name, name, port, "/mcp", null);
            s.expectedTools = gateway ? 34 : 1;
            long t0 = System.nanoTime();
            Procs.Proc p = Procs.start(name + "-" + i, command, env, port);
            try {
                String tool = gateway ? "organizations_current" : "echo";
                String args = gateway ? "{}" : "{\"text\":\"cold\"}";
                long deadline = t0 + 120_000_000_000L;
                double ms = -1;
                while (System.nanoTime() < deadline && p.alive()) {
                    try (Http c = new Http(port, 30_000)) {
                        mcpOpen(c, "/mcp");
                        Http.Answer a = c.send("POST", "/mcp", MCP + KEY, call(1, tool, args));
                        if (a.status() == 200 && a.body().contains("\"result\"") && !a.body().contains("\"isError\":true")) {
                            ms = (System.nanoTime() - t0) / 1e6;
                            break;
                        }
                    } catch (IOException e) {
                        // not listening yet
                    }
                    LockSupport.parkNanos(5_000_000L);
                }
                if (ms < 0) {
                    FAILURES.add(name + ": no successful tools/call within 120 s; see " + p.log);
                } else {
                    runs.add(ms);
                }
            } finally {
                p.stop();
            }
        }
        Map<String, Object> row = new LinkedHashMap<>();
        List<Double> sorted = new ArrayList<>(runs);
        sorted.sort(null);
        row.put("medianMs", sorted.isEmpty() ? -1.0 : sorted.get(sorted.size() / 2));
        row.put("runsMs", runs);
        row.put("command", String.join(" ", command.subList(1, command.size())).replace(root + "/", ""));
        System.out.printf(Locale.ROOT, "bench: cold start %-30s %s ms%n", name, runs);
        return row;
    }
}
