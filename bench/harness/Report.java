import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** report.md (tables per system and workload, the targets of issue 10 §3) and plot.png, from the harness's results. */
final class Report {

    static final List<String> SYSTEMS = List.of("direct", "gateway-inprocess", "gateway-redis", "echo", "ts-peer");
    static final Map<String, String> LABELS = Map.of("direct", "direct REST to the sandbox", "gateway-inprocess",
            "gateway, in-process store", "gateway-redis", "gateway, Redis store", "echo", "bare MCP echo server", "ts-peer",
            "TypeScript SDK peer");

    static String f(Object v, String format) {
        if (v == null) {
            return "n/a";
        }
        return String.format(Locale.ROOT, format, ((Number) v).doubleValue());
    }

    static Map<String, Object> find(List<Map<String, Object>> phases, String system, String workload, String mode, int level) {
        for (Map<String, Object> p : phases) {
            if (p.get("system").equals(system) && p.get("workload").equals(workload) && p.get("mode").equals(mode)
                    && ((Number) p.get(mode.equals("open") ? "rate" : "connections")).intValue() == level && !p.containsKey("scalingVariant")) {
                return p;
            }
        }
        return null;
    }

    static Double cpu(Map<String, Object> phase, String process) {
        if (phase == null) {
            return null;
        }
        Object v = ((Map<?, ?>) phase.get("cpuMicrosPerCall")).get(process);
        return v == null ? null : ((Number) v).doubleValue();
    }

    static Double num(Map<String, Object> phase, String key) {
        return phase == null || phase.get(key) == null ? null : ((Number) phase.get(key)).doubleValue();
    }

    @SuppressWarnings("unchecked")
    static void write(Path out, Map<String, Object> results, List<Map<String, Object>> phases, boolean smoke) throws IOException {
        StringBuilder md = new StringBuilder();
        Map<String, Object> env = (Map<String, Object>) results.getOrDefault("environment", Map.of());
        md.append("# Switchboard benchmark").append(smoke ? " (smoke run)" : "").append(", ").append(results.get("date")).append(", ")
                .append(results.get("machine")).append("\n\n");
        md.append("- CPU: ").append(env.get("cpu")).append(", ").append(env.get("cores")).append(" cores; ").append(env.get("os")).append('\n');
        md.append("- JDK: ").append(env.get("jdk")).append("; JDK 25: ").append(env.get("jdk25")).append('\n');
        md.append("- Node ").append(env.get("node")).append("; ").append(env.get("redis")).append('\n');
        if (smoke) {
            md.append(String.format(Locale.ROOT, "- smoke: 6 checked calls per workload at 2 connections and 15 at 50 calls/s open loop per system; "
                    + "run took %.0f s%n", ((Number) results.getOrDefault("durationSeconds", 0)).doubleValue()));
        } else
        md.append(String.format(Locale.ROOT, "- %s s per measured phase, %s s warm-up per system (all workloads mixed, 16 connections); "
                + "everything on loopback, harness on the same machine; run took %.0f s%n", results.get("phaseSeconds"),
                results.get("warmupSeconds"), ((Number) results.getOrDefault("durationSeconds", 0)).doubleValue()));
        md.append("- Every answer checked (status, JSON-RPC result without isError, expected items); CPU per call is utime+stime "
                + "from /proc/<pid>/stat over the phase, divided by the calls\n\n");

        List<String> failures = (List<String>) results.getOrDefault("failures", List.of());
        md.append("**Wrong answers or failures: ").append(failures.size()).append("**\n");
        failures.stream().limit(30).forEach(f -> md.append("- ").append(f.replace("|", "\\|")).append('\n'));
        md.append('\n');

        if (!smoke) {
            targets(md, results, phases);
        }

        md.append("## Systems\n\n| id | system | processes measured |\n|---|---|---|\n");
        for (Map<String, Object> s : (List<Map<String, Object>>) results.getOrDefault("systems", List.of())) {
            md.append("| ").append(s.get("id")).append(" | ").append(s.get("label")).append(" | ").append(s.get("processes")).append(" |\n");
        }
        md.append('\n');

        md.append("## Closed loop (calls/s, latency in ms, CPU µs per call of each process)\n\n");
        md.append("| system | workload | conns | calls | errors | calls/s | p50 | p99 | p99.9 | CPU µs/call | Redis cmds/call |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> p : phases) {
            if (!p.get("mode").equals("closed")) {
                continue;
            }
            String system = p.get("system") + (p.containsKey("scalingVariant") ? " (" + p.get("scalingVariant") + ")" : "");
            md.append("| ").append(system).append(" | ").append(p.get("workload")).append(" | ").append(p.get("connections"))
                    .append(" | ").append(p.get("calls")).append(" | ").append(p.get("errors")).append(" | ")
                    .append(f(p.get("callsPerSecond"), "%.0f")).append(" | ").append(f(p.get("p50Ms"), "%.2f")).append(" | ")
                    .append(f(p.get("p99Ms"), "%.2f")).append(" | ").append(f(p.get("p999Ms"), "%.2f")).append(" | ")
                    .append(cpuText(p)).append(" | ").append(f(p.get("redisCommandsPerCall"), "%.2f")).append(" |\n");
        }
        md.append('\n');

        md.append("## Open loop (latency from each call's due time, ms)\n\n");
        md.append("| system | workload | offered/s | achieved/s | calls | errors | p50 | p99 | p99.9 | CPU µs/call |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> p : phases) {
            if (!p.get("mode").equals("open")) {
                continue;
            }
            md.append("| ").append(p.get("system")).append(" | ").append(p.get("workload")).append(" | ").append(p.get("rate"))
                    .append(" | ").append(f(p.get("callsPerSecond"), "%.0f")).append(" | ").append(p.get("calls")).append(" | ")
                    .append(p.get("errors")).append(" | ").append(f(p.get("p50Ms"), "%.2f")).append(" | ")
                    .append(f(p.get("p99Ms"), "%.2f")).append(" | ").append(f(p.get("p999Ms"), "%.2f")).append(" | ")
                    .append(cpuText(p)).append(" |\n");
        }
        md.append('\n');

        md.append("## Resident memory (MB)\n\n| process | idle | max under 64 connections | after the load |\n|---|---|---|---|\n");
        Map<String, Object> idle = (Map<String, Object>) results.getOrDefault("rssIdleKb", Map.of());
        Map<String, Object> load = (Map<String, Object>) results.getOrDefault("rssUnder64Kb", Map.of());
        for (Map.Entry<String, Object> e : idle.entrySet()) {
            md.append("| ").append(e.getKey()).append(" | ").append(mb(e.getValue())).append(" | ").append(mb(load.get(e.getKey())))
                    .append(" | ").append(mb(load.get(e.getKey() + " after"))).append(" |\n");
        }
        md.append("\nThe gateways, the sandbox and the echo server run with -Xmx512m (the sandbox -Xmx1g), as in the issue's figures.\n\n");

        Map<String, Object> container = (Map<String, Object>) results.get("containerOptions");
        if (container != null) {
            md.append("## Small-memory JVM options\n\nWhat a 256 MiB container would need (the shipped image sizes its heap from the container's limit instead, `-XX:MaxRAMPercentage=75`): `").append(container.get("jvmOptions")).append("`, Redis store, contacts_list at 64 connections: ")
                    .append("RSS idle ").append(mb(container.get("rssIdleKb"))).append(" MB, max under load ")
                    .append(mb(container.get("rssMaxUnder64Kb"))).append(" MB, after ").append(mb(container.get("rssAfterKb")))
                    .append(" MB; ").append(f(container.get("callsPerSecond"), "%.0f")).append(" calls/s, p99 ")
                    .append(f(container.get("p99Ms"), "%.2f")).append(" ms, ").append(container.get("errors")).append(" errors.\n\n");
        }

        List<Map<String, Object>> scaling = (List<Map<String, Object>>) results.get("toolCountScaling");
        if (scaling != null) {
            md.append("## Tool count: curated set, all operations, synthetic 1,000-operation contract (16 connections)\n\n");
            md.append("| variant | tools | tools/list bytes | tools/list calls/s | tools/list gateway µs/call | contacts_list calls/s | "
                    + "contacts_list gateway µs/call | gateway RSS MB |\n|---|---|---|---|---|---|---|---|\n");
            for (Map<String, Object> r : scaling) {
                if (r.containsKey("note")) {
                    md.append("| ").append(r.get("variant")).append(" | ").append(r.get("tools")).append(" | ").append(r.get("note"))
                            .append(" | | | | | |\n");
                    continue;
                }
                md.append("| ").append(r.get("variant")).append(" | ").append(r.get("tools")).append(" | ").append(r.get("toolsListBytes"))
                        .append(" | ").append(f(r.get("tools_listCallsPerSecond"), "%.0f")).append(" | ")
                        .append(f(r.get("tools_listGatewayCpuMicros"), "%.0f")).append(" | ")
                        .append(f(r.get("contacts_listCallsPerSecond"), "%.0f")).append(" | ")
                        .append(f(r.get("contacts_listGatewayCpuMicros"), "%.0f")).append(" | ").append(mb(r.get("rssKb"))).append(" |\n");
            }
            md.append('\n');
        }

        Map<String, Object> cold = (Map<String, Object>) results.get("coldStartMs");
        if (cold != null) {
            md.append("## Cold start: process start to the first successful tools/call (median of 3)\n\n| process | median ms | runs ms | command |\n|---|---|---|---|\n");
            for (Map.Entry<String, Object> e : cold.entrySet()) {
                Map<String, Object> r = (Map<String, Object>) e.getValue();
                md.append("| ").append(e.getKey()).append(" | ").append(f(r.get("medianMs"), "%.0f")).append(" | ")
                        .append(((List<Double>) r.get("runsMs")).stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList())
                        .append(" | `").append(r.get("command")).append("` |\n");
            }
            md.append('\n');
        }

        List<String> notes = (List<String>) results.getOrDefault("notes", List.of());
        if (!notes.isEmpty()) {
            md.append("## Notes\n\n");
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
            md.append('\n');
        }
        if (!smoke) {
            md.append("![latency against offered load](plot.png)\n");
        }
        Files.writeString(out.resolve("report.md"), md.toString());
    }

    static String byName(Map<String, Object> phase) {
        Object by = phase.get("redisCommandsPerCallByName");
        if (!(by instanceof Map<?, ?> map)) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        map.forEach((k, v) -> parts.add(k + " " + String.format(Locale.ROOT, "%.2f", ((Number) v).doubleValue())));
        return "(" + String.join(", ", parts) + ")";
    }

    static String cpuText(Map<String, Object> p) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) p.get("cpuMicrosPerCall")).entrySet()) {
            parts.add(e.getKey() + " " + String.format(Locale.ROOT, "%.0f", ((Number) e.getValue()).doubleValue()));
        }
        return String.join(", ", parts);
    }

    static String mb(Object kb) {
        return kb == null ? "n/a" : String.format(Locale.ROOT, "%.0f", ((Number) kb).doubleValue() / 1024);
    }

    static String ratio(Double value, Double anchor) {
        return value == null || anchor == null || anchor == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f×", value / anchor);
    }

    static String verdict(Double value, double target, boolean atMost) {
        if (value == null) {
            return "not measured";
        }
        boolean pass = atMost ? value <= target : value >= target;
        return pass ? "**pass**" : String.format(Locale.ROOT, "**miss** by %.0f %%", Math.abs(value / target - 1) * 100);
    }

    @SuppressWarnings("unchecked")
    static void targets(StringBuilder md, Map<String, Object> results, List<Map<String, Object>> phases) {
        Map<String, Object> gw16 = find(phases, "gateway-inprocess", "contacts_list", "closed", 16);
        Map<String, Object> redis16 = find(phases, "gateway-redis", "contacts_list", "closed", 16);
        Map<String, Object> peer16 = find(phases, "ts-peer", "contacts_list", "closed", 16);
        Map<String, Object> direct16 = find(phases, "direct", "contacts_list", "closed", 16);
        Double gwCpu = cpu(gw16, "gateway-inprocess");
        Double peerCpu = cpu(peer16, "ts-peer");
        Double efficiency = gwCpu == null || peerCpu == null || gwCpu == 0 ? null : peerCpu / gwCpu;
        Map<String, Object> gw500 = find(phases, "gateway-inprocess", "contacts_list", "open", 500);
        Map<String, Object> direct500 = find(phases, "direct", "contacts_list", "open", 500);
        Double addP50 = gw500 == null || direct500 == null ? null : num(gw500, "p50Ms") - num(direct500, "p50Ms");
        Double addP99 = gw500 == null || direct500 == null ? null : num(gw500, "p99Ms") - num(direct500, "p99Ms");
        Map<String, Object> org16 = find(phases, "gateway-inprocess", "organizations_current", "closed", 16);
        Map<String, Object> echo16 = find(phases, "echo", "echo", "closed", 16);
        Double orgRatio = org16 == null || echo16 == null ? null : num(org16, "callsPerSecond") / num(echo16, "callsPerSecond");
        Map<String, Object> cold = (Map<String, Object>) results.getOrDefault("coldStartMs", Map.of());
        Double coldJvm = cold.containsKey("gateway JDK 17") ? num((Map<String, Object>) cold.get("gateway JDK 17"), "medianMs") : null;
        Double coldAot = cold.containsKey("gateway JDK 25 AOT cache") ? num((Map<String, Object>) cold.get("gateway JDK 25 AOT cache"), "medianMs") : null;
        Map<String, Object> container = (Map<String, Object>) results.get("containerOptions");
        Double rss = container == null ? null : num(container, "rssMaxUnder64Kb") / 1024;
        List<Map<String, Object>> scaling = (List<Map<String, Object>>) results.getOrDefault("toolCountScaling", List.of());
        Double curatedCall = null;
        Double allCall = null;
        Double thousandCall = null;
        for (Map<String, Object> r : scaling) {
            Double v = num(r, "contacts_listGatewayCpuMicros");
            switch ((String) r.get("variant")) {
                case "curated" -> curatedCall = v;
                case "all" -> allCall = v;
                case "synthetic-1000" -> thousandCall = v;
                default -> {
                }
            }
        }
        Double flat = thousandCall == null || curatedCall == null ? null : thousandCall / curatedCall;
        long redisFailures = 0;
        long redisCalls = 0;
        for (Map<String, Object> p : phases) {
            if (p.get("system").equals("gateway-redis") && p.get("mode").equals("closed") && ((Number) p.get("connections")).intValue() == 64) {
                redisFailures += ((Number) p.get("errors")).longValue();
                redisCalls += ((Number) p.get("calls")).longValue();
            }
        }

        md.append("## Targets of issue 10 §3\n\n| target | measured | target | ratio / anchor | verdict |\n|---|---|---|---|---|\n");
        md.append("| gateway CPU per relayed contacts_list (25), 16 connections, in-process store | ").append(f(gwCpu, "%.0f µs"))
                .append(" (Redis store: ").append(f(cpu(redis16, "gateway-redis"), "%.0f µs")).append("; sandbox: ")
                .append(f(cpu(direct16, "sandbox"), "%.0f µs")).append(" per direct call) | ≤ 100 µs | ")
                .append(ratio(gwCpu, 100.0)).append(" of target (issue: 564 µs) | ").append(verdict(gwCpu, 100, true)).append(" |\n");
        md.append("| efficiency against the TypeScript peer (peer CPU ÷ gateway CPU per contacts_list) | ").append(f(efficiency, "%.1f×"))
                .append(" (peer ").append(f(peerCpu, "%.0f µs")).append(") | ≥ 10× | issue: 2.4× | ").append(verdict(efficiency, 10, false)).append(" |\n");
        md.append("| added p50 over direct at 500 calls/s (contacts_list) | ").append(f(addP50, "%.2f ms")).append(" (gateway ")
                .append(f(num(gw500, "p50Ms"), "%.2f")).append(", direct ").append(f(num(direct500, "p50Ms"), "%.2f"))
                .append(") | ≤ 0.5 ms | ").append(ratio(addP50, 0.5)).append(" of target (issue: 1.09 ms) | ").append(verdict(addP50, 0.5, true)).append(" |\n");
        md.append("| added p99 over direct at 500 calls/s | ").append(f(addP99, "%.2f ms")).append(" (gateway ")
                .append(f(num(gw500, "p99Ms"), "%.2f")).append(", direct ").append(f(num(direct500, "p99Ms"), "%.2f"))
                .append(") | ≤ 2 ms | ").append(ratio(addP99, 2.0)).append(" of target (issue: ~10 ms) | ").append(verdict(addP99, 2, true)).append(" |\n");
        md.append("| organizations_current calls/s ÷ bare echo calls/s (16 connections) | ").append(f(orgRatio, "%.2f×")).append(" (")
                .append(f(num(org16, "callsPerSecond"), "%.0f")).append(" / ").append(f(num(echo16, "callsPerSecond"), "%.0f"))
                .append(") | ≥ 0.7× | issue: 0.58× | ").append(verdict(orgRatio, 0.7, false)).append(" |\n");
        md.append("| cold start to the first successful tools/call, JDK 17 (median of 3) | ").append(f(coldJvm, "%.0f ms"))
                .append(" | ≤ 1,500 ms | ").append(ratio(coldJvm, 1500.0)).append(" of target (issue: 2.7 s) | ").append(verdict(coldJvm, 1500, true)).append(" |\n");
        md.append("| cold start, JDK 25 with the AOT cache (median of 3) | ").append(f(coldAot, "%.0f ms"))
                .append(" | ≤ 1,500 ms | ").append(ratio(coldAot, 1500.0)).append(" of target | ").append(verdict(coldAot, 1500, true)).append(" |\n");
        md.append("| RSS under the 64-connection load, small-memory JVM options | ").append(f(rss, "%.0f MB")).append(" | ≤ 200 MB | ")
                .append(ratio(rss, 200.0)).append(" of target (issue: 350–380 MB with -Xmx512m) | ").append(verdict(rss, 200, true)).append(" |\n");
        md.append("| per-call cost flat from the curated set to 1,000 operations (gateway CPU per contacts_list) | curated ")
                .append(f(curatedCall, "%.0f µs")).append(", all ").append(f(allCall, "%.0f µs")).append(", 1,000 ops ")
                .append(f(thousandCall, "%.0f µs")).append(" | 1,000 ops ≤ 1.2× curated | ").append(f(flat, "%.2f×"))
                .append(" | ").append(verdict(flat, 1.2, true)).append(" |\n");
        md.append("| Redis commands per call (contacts_list, Redis store, 16 connections; commands run inside a script count too) | ")
                .append(f(num(redis16, "redisCommandsPerCall"), "%.2f")).append(redis16 == null ? "" : " " + byName(redis16))
                .append(" | one round trip | | |\n");
        md.append("| failed calls at 64 connections on the Redis store (all workloads) | ").append(redisFailures).append(" of ")
                .append(redisCalls).append(" | 0 | | ").append(redisFailures == 0 ? "**pass**" : "**miss**").append(" |\n\n");
        md.append("A missed target is given with how far it is off; the profile behind the figures is in issue 10.\n\n");
    }

    /** plot.png: contacts_list (echo: echo) p50 and p99 against the offered rate, one line per system. */
    static void plot(Path out, List<Map<String, Object>> phases) throws IOException {
        List<Plot.Series> series = new ArrayList<>();
        int[] rates = { 200, 500, 1000 };
        for (String system : SYSTEMS) {
            double[] p50 = new double[rates.length];
            double[] p99 = new double[rates.length];
            boolean any = false;
            for (int i = 0; i < rates.length; i++) {
                Map<String, Object> p = null;
                for (String w : List.of("contacts_list", "echo")) {
                    p = p == null ? find(phases, system, w, "open", rates[i]) : p;
                }
                if (p != null) {
                    p50[i] = num(p, "p50Ms");
                    p99[i] = num(p, "p99Ms");
                    any = true;
                }
            }
            if (any) {
                series.add(new Plot.Series(LABELS.get(system) + (system.equals("echo") ? " (echo)" : ""), rates, p50, p99));
            }
        }
        Plot.draw(out.resolve("plot.png"), "contacts_list (25 items) latency against offered load, open loop", series);
    }
}
