import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Cold start (role: measurement): process start to the first successful tools/call, three times, on JDK 17 and, with
 * --aot-jar, on JDK 25 with and without the AOT cache (trained here once).
 */
final class ColdStarts {

    static void measure(String backend) throws Exception {
        Map<String, Object> cold = new LinkedHashMap<>();
        // the image's command line: its JVM options, in a container with the Kubernetes deployment's memory limit
        cold.put("gateway JDK 17, image options", coldStart("gateway-cold", Systems.java(Systems.imageJvmInContainer(), Harness.gatewayJar),
                backend, true));
        cold.put("gateway JDK 17, stdio", stdioStart(Systems.java(Systems.imageJvmInContainer(), Harness.gatewayJar), backend));
        cold.put("echo JDK 17", coldStart("echo-cold", Systems.java(List.of(Systems.JVM_HEAP), Harness.echoJar), backend, false));
        if (Harness.aotApp != null && Harness.jdk25 != null) {
            Path jar = Harness.aotApp.resolve("quarkus-run.jar");
            Path cache = Harness.aotApp.resolve("app.aot");
            String java25 = Harness.jdk25.resolve("bin/java").toString();
            cold.put("gateway JDK 25 (no AOT cache)", coldStart("gateway-cold-jdk25", List.of(java25, Systems.JVM_HEAP, "-jar", jar.toString()), backend, true));
            try {
                if (!Files.exists(cache)) {
                    train(java25, jar, cache, backend);
                }
                if (Files.exists(cache)) {
                    cold.put("gateway JDK 25 AOT cache", coldStart("gateway-cold-aot",
                            List.of(java25, Systems.JVM_HEAP, "-XX:AOTCache=" + cache, "-jar", jar.toString()), backend, true));
                } else {
                    Harness.NOTES.add("AOT cache: the training run wrote no " + cache + "; see " + Procs.logs.resolve("gateway-aot-training.log"));
                }
            } catch (Exception e) {
                Harness.NOTES.add("AOT cache: " + e.getMessage());
            }
        } else if (!Harness.aotNote.isEmpty()) {
            Harness.NOTES.add(Harness.aotNote);
        }
        Harness.RESULTS.put("coldStartMs", cold);
    }

    /** The AOT cache's training run: start with -XX:AOTCacheOutput, drive every workload, stop; the JVM writes the cache. */
    static void train(String java25, Path jar, Path cache, String backend) throws Exception {
        int port = Procs.freePort();
        Procs.Proc p = Procs.start("gateway-aot-training", List.of(java25, Systems.JVM_HEAP, "-XX:AOTCacheOutput=" + cache, "-jar", jar.toString()),
                Systems.gatewayEnv(port, backend, Map.of()), port);
        Sys s = new Sys("gateway-aot-training", "training", port, "/mcp", p);
        s.cpu.add(p);
        try {
            Systems.awaitUp(p, () -> Systems.firstAnswer(s));
            s.expectedTools = Systems.metadataTools(s);
            Workloads.define(s);
            for (Map.Entry<String, Op> w : s.workloads.entrySet()) {
                Load.closed(s, w.getKey(), w.getValue(), 4, 0, 200, false);
                Harness.PHASES.remove(Harness.PHASES.size() - 1);
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
            Map<String, String> env = gateway ? Systems.gatewayEnv(port, backend, Map.of()) : Map.of("QUARKUS_HTTP_PORT", String.valueOf(port));
            long t0 = System.nanoTime();
            Procs.Proc p = Procs.start(name + "-" + i, command, env, port);
            try {
                String tool = gateway ? "organizations_current" : "echo";
                String args = gateway ? "{}" : "{\"text\":\"cold\"}";
                long deadline = t0 + 120_000_000_000L;
                double ms = -1;
                while (System.nanoTime() < deadline && p.alive()) {
                    try (Http c = new Http(port, 30_000)) {
                        Mcp.mcpOpen(c, "/mcp");
                        Http.Answer a = c.send("POST", "/mcp", Mcp.MCP + Mcp.KEY, Mcp.call(1, tool, args));
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
                    Harness.FAILURES.add(name + ": no successful tools/call within 120 s; see " + p.log);
                } else {
                    runs.add(ms);
                }
            } finally {
                p.stop();
            }
        }
        System.out.printf(Locale.ROOT, "bench: cold start %-30s %s ms%n", name, runs);
        return row(runs, "", command);
    }

    /**
     * A client that starts the gateway as its stdio server: process start to the answer of its first tools/call
     * (initialize, initialized, organizations_current written at once, as clients do), three times.
     */
    static Map<String, Object> stdioStart(List<String> command, String backend) throws Exception {
        List<Double> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(Procs.logs.resolve("gateway-stdio-" + i + ".log").toFile());
            builder.environment().putAll(Map.of("MCP_TRANSPORT", "stdio", "MCP_BACKEND_AUTHORIZATION", "Bearer sbx_alice",
                    "MCP_BACKEND_BASE_URL", backend, "MCP_SESSION_FILE", ""));
            long t0 = System.nanoTime();
            Process p = builder.start();
            try {
                var in = new java.io.PrintStream(p.getOutputStream(), true, java.nio.charset.StandardCharsets.UTF_8);
                in.println("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                        + "\"capabilities\":{},\"clientInfo\":{\"name\":\"switchboard-bench\",\"version\":\"1\"}}}");
                in.println("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
                in.println(Mcp.call(2, "organizations_current", "{}"));
                var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
                java.util.concurrent.CompletableFuture<Double> answered = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        for (String line; (line = out.readLine()) != null;) {
                            if (line.contains("\"id\":2") && line.contains("\"result\"") && !line.contains("\"isError\":true")) {
                                return (System.nanoTime() - t0) / 1e6;
                            }
                        }
                    } catch (IOException e) {
                        // the process ended
                    }
                    return -1.0;
                });
                double ms = answered.get(120, java.util.concurrent.TimeUnit.SECONDS);
                if (ms < 0) {
                    Harness.FAILURES.add("stdio start: no answer to tools/call; see " + Procs.logs.resolve("gateway-stdio-" + i + ".log"));
                } else {
                    runs.add(ms);
                }
            } finally {
                p.destroy();
                if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
        System.out.printf(Locale.ROOT, "bench: stdio start %s ms%n", runs);
        return row(runs, "MCP_TRANSPORT=stdio ", command);
    }

    /** A cold-start row: the median of the runs, the runs, and the command line as run (the repository's path left out). */
    private static Map<String, Object> row(List<Double> runs, String environment, List<String> command) {
        Map<String, Object> row = new LinkedHashMap<>();
        List<Double> sorted = new ArrayList<>(runs);
        sorted.sort(null);
        row.put("medianMs", sorted.isEmpty() ? -1.0 : sorted.get(sorted.size() / 2));
        row.put("runsMs", runs);
        row.put("command", environment + String.join(" ", command.subList(1, command.size())).replace(Harness.root + "/", ""));
        return row;
    }

    private ColdStarts() {
    }
}
