import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark of issue 10: starts every system on loopback, drives each with the same calls (closed loop at 1, 16
 * and 64 connections, open loop at fixed rates measured from each call's due time), checks every answer, reads CPU
 * time and resident memory of each process from /proc, and writes report.md, results.json and plot.png.
 * Started by bench/run.sh, which builds what it needs first; see bench/README.md.
 * <p>
 * This file holds the run: its settings, its results and the order of its phases. The rest, by role: the systems
 * ({@link Sys}, {@link Systems}, {@link Procs}), the workloads ({@link Workloads}, {@link Op}, {@link Mcp}, {@link Http},
 * {@link Contracts}), the measurement ({@link Load}, {@link ContainerRow}, {@link ToolCountRows}, {@link ColdStarts}) and
 * the report ({@link Report}, {@link Plot}, {@link Json}).
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

    /** This run's id, in the emails and idempotency keys its writes use. */
    static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    // ---- results ----
    static final List<Map<String, Object>> PHASES = new ArrayList<>();
    static final Map<String, Object> RESULTS = new LinkedHashMap<>();
    static final List<String> FAILURES = new ArrayList<>();
    static final List<String> NOTES = new ArrayList<>();

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

    static void run() throws Exception {
        RESULTS.put("date", LocalDate.now().toString());
        RESULTS.put("machine", machine);
        RESULTS.put("mode", smoke ? "smoke" : "full");
        RESULTS.put("environment", Systems.environment());
        RESULTS.put("phaseSeconds", seconds);
        RESULTS.put("warmupSeconds", warmupSeconds);

        // Redis of its own, the standalone sandbox, two gateways, the echo server and the TypeScript peer, in parallel
        int redisPort = Procs.freePort();
        Procs.Proc redis = Procs.start("redis", List.of("redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--protected-mode", "yes"), Map.of(), redisPort);
        int sandboxPort = Procs.freePort();
        Procs.Proc sandbox = Procs.start("sandbox", Systems.java(List.of("-Xmx1g"), gatewayJar),
                Map.of("MCP_SANDBOX_ONLY", "true", "MCP_PORT", String.valueOf(sandboxPort)), sandboxPort);
        String backend = "http://127.0.0.1:" + sandboxPort + "/sandbox";
        Procs.Proc gwMem = Systems.startGateway("gateway-inprocess", List.of(Systems.JVM_HEAP), backend, Map.of());
        Procs.Proc gwRedis = Systems.startGateway("gateway-redis", List.of(Systems.JVM_HEAP), backend,
                Map.of("REDIS_URL", "redis://127.0.0.1:" + redisPort, "MCP_KEY_HASH_SECRET", Systems.KEY_HASH_SECRET));
        int echoPort = Procs.freePort();
        Procs.Proc echo = Procs.start("echo", Systems.java(List.of(Systems.JVM_HEAP), echoJar), Map.of("QUARKUS_HTTP_PORT", String.valueOf(echoPort)),
                echoPort);
        int peerPort = Procs.freePort();
        Procs.Proc peer = Procs.start("ts-peer", List.of("node", root.resolve("bench/peer/server.mjs").toString()),
                Map.of("PEER_PORT", String.valueOf(peerPort), "SANDBOX_URL", backend), peerPort);

        Systems.awaitUp(redis, () -> Procs.redisPing(redisPort));
        Sys direct = new Sys("direct", "direct REST to the sandbox", sandboxPort, null, sandbox);
        direct.cpu.add(sandbox);
        Sys inproc = new Sys("gateway-inprocess", "gateway, in-process store", gwMem.port, "/mcp", gwMem);
        inproc.cpu.addAll(List.of(gwMem, sandbox));
        Sys onRedis = new Sys("gateway-redis", "gateway, Redis store", gwRedis.port, "/mcp", gwRedis);
        onRedis.cpu.addAll(List.of(gwRedis, sandbox, redis));
        onRedis.redisPort = redisPort;
        Sys bare = new Sys("echo", "bare MCP echo server (same library)", echoPort, "/mcp", echo);
        bare.cpu.add(echo);
        bare.expectedTools = 1;
        Sys ts = new Sys("ts-peer", "TypeScript SDK peer (stateless proxy)", peerPort, "/mcp", peer);
        ts.cpu.addAll(List.of(peer, sandbox));
        ts.expectedTools = 4;
        List<Sys> systems = List.of(direct, inproc, onRedis, bare, ts);
        for (Sys s : systems) {
            Systems.awaitUp(s.main, () -> Systems.firstAnswer(s));
            if (s.id.startsWith("gateway")) {
                s.expectedTools = Systems.metadataTools(s); // the gateways' default set, as the contract makes it
            }
            Workloads.define(s);
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
                    Load.closed(s, w.getKey(), w.getValue(), 2, 0, 6, false);
                }
                String main = s == bare ? "echo" : "contacts_list";
                Load.open(s, main, s.workloads.get(main), 50, 0.3, 4);
            }
            return;
        }

        ListSizes.measure(inproc);

        // closed loop, every workload of every system, after a warm-up of that system
        Map<String, Object> rssLoad = new LinkedHashMap<>();
        for (Sys s : systems) {
            Load.warmUp(s, warmupSeconds);
            long maxRss = 0;
            for (Map.Entry<String, Op> w : s.workloads.entrySet()) {
                for (int c : new int[] { 1, 16, 64 }) {
                    Map<String, Object> phase = Load.closed(s, w.getKey(), w.getValue(), c, seconds, 0, c == 64);
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
                Load.open(s, main, s.workloads.get(main), rate, Math.max(seconds * 2, 4), 64);
            }
        }

        // memory and CPU with the image's JVM options in the deployment's container, on Redis as deployed
        ContainerRow.measure(backend, redisPort);

        // tools/list and tools/call with the curated set, all operations, and a 1,000-operation contract
        ToolCountRows.measure(inproc, backend);

        // cold start: stop the long-running systems first so that only the sandbox runs beside the process started
        for (Procs.Proc p : List.of(gwMem, gwRedis, echo, peer)) {
            p.stop();
        }
        ColdStarts.measure(backend);
    }
}
