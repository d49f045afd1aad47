import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** report.md (tables per system and workload, the targets of issue 19) and plot.png, from the harness's results. */
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
            md.append("## The image's JVM options in the deployment's container\n\n`").append(container.get("jvmOptions")).append("`, Redis store, contacts_list at 64 connections: ")
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

    private static Double row(List<Map<String, Object>> scaling, String variant, String key) {
        return scaling.stream().filter(r -> variant.equals(r.get("variant"))).findFirst().map(r -> num(r, key)).orElse(null);
    }

    private static Double median(Map<String, Object> cold, String key) {
        @SuppressWarnings("unchecked")
        Map<String, Object> row = (Map<String, Object>) cold.get(key);
        return row == null ? null : num(row, "medianMs");
    }

    private static void target(StringBuilder md, String what, String measured, String target, String verdict) {
        md.append("| ").append(what).append(" | ").append(measured).append(" | ").append(target).append(" | ").append(verdict).append(" |\n");
    }

    /** The targets of issue 19, each with its figure, the target and how far a miss is. */
    @SuppressWarnings("unchecked")
    static void targets(StringBuilder md, Map<String, Object> results, List<Map<String, Object>> phases) {
        Map<String, Object> gw16 = find(phases, "gateway-inprocess", "contacts_list", "closed", 16);
        Map<String, Object> redis16 = find(phases, "gateway-redis", "contacts_list", "closed", 16);
        Map<String, Object> stateless16 = find(phases, "gateway-inprocess", "contacts_list_stateless", "closed", 16);
        Map<String, Object> statelessRedis16 = find(phases, "gateway-redis", "contacts_list_stateless", "closed", 16);
        Map<String, Object> peer16 = find(phases, "ts-peer", "contacts_list", "closed", 16);
        Map<String, Object> direct16 = find(phases, "direct", "contacts_list", "closed", 16);
        Double gwCpu = cpu(gw16, "gateway-inprocess");
        Double backendCpu = cpu(direct16, "sandbox");
        Double statelessCpu = cpu(stateless16, "gateway-inprocess");
        Double peerCpu = cpu(peer16, "ts-peer");
        Double efficiency = gwCpu == null || peerCpu == null || gwCpu == 0 ? null : peerCpu / gwCpu;
        Double statelessEfficiency = statelessCpu == null || peerCpu == null || statelessCpu == 0 ? null : peerCpu / statelessCpu;
        Map<String, Object> gw500 = find(phases, "gateway-inprocess", "contacts_list", "open", 500);
        Map<String, Object> direct500 = find(phases, "direct", "contacts_list", "open", 500);
        Double addP50 = gw500 == null || direct500 == null ? null : num(gw500, "p50Ms") - num(direct500, "p50Ms");
        Double addP99 = gw500 == null || direct500 == null ? null : num(gw500, "p99Ms") - num(direct500, "p99Ms");
        Map<String, Object> own16 = find(phases, "gateway-inprocess", "list_operations", "closed", 16);
        Map<String, Object> org16 = find(phases, "gateway-inprocess", "organizations_current", "closed", 16);
        Map<String, Object> echo16 = find(phases, "echo", "echo", "closed", 16);
        Double ownRatio = own16 == null || echo16 == null ? null : num(own16, "callsPerSecond") / num(echo16, "callsPerSecond");
        Double orgRatio = org16 == null || echo16 == null ? null : num(org16, "callsPerSecond") / num(echo16, "callsPerSecond");
        List<Map<String, Object>> scaling = (List<Map<String, Object>>) results.getOrDefault("toolCountScaling", List.of());
        Double curated = row(scaling, "curated", "contacts_listGatewayCpuMicros");
        Double all = row(scaling, "all", "contacts_listGatewayCpuMicros");
        Double thousand = row(scaling, "synthetic-1000", "contacts_listGatewayCpuMicros");
        Double flat = curated == null ? null : Math.max(all == null ? 0 : all, thousand == null ? 0 : thousand) / curated;
        Map<String, Object> cold = (Map<String, Object>) results.getOrDefault("coldStartMs", Map.of());
        Double coldImage = median(cold, "gateway JDK 17, image options");
        Double coldAot = median(cold, "gateway JDK 25 AOT cache");
        Double stdio = median(cold, "gateway JDK 17, stdio");
        Map<String, Object> container = (Map<String, Object>) results.get("containerOptions");
        Double rss = container == null ? null : num(container, "rssMaxUnder64Kb") / 1024;
        Map<String, Object> sizes = (Map<String, Object>) results.getOrDefault("listSizes", Map.of());
        Double toolsList = num(sizes, "toolsListBytes");
        Double operationsPage = num(sizes, "listOperationsResultBytes");

        md.append("## Targets of issue 19\n\n| figure | measured | target | verdict |\n|---|---|---|---|\n");
        target(md, "gateway CPU per relayed contacts_list (25 items), 16 connections", f(gwCpu, "%.0f µs") + " in-process store; "
                + f(cpu(redis16, "gateway-redis"), "%.0f µs") + " Redis store; 2026-07-28 (stateless): " + f(statelessCpu, "%.0f µs")
                + ", on Redis " + f(cpu(statelessRedis16, "gateway-redis"), "%.0f µs") + "; the backend's own CPU per call: "
                + f(backendCpu, "%.0f µs") + " (gateway ÷ backend " + ratio(gwCpu, backendCpu) + ")",
                "≤ 100 µs and ≤ 0.5× the backend's", verdict(gwCpu, 100, true));
        target(md, "against the TypeScript SDK peer (peer CPU ÷ gateway CPU per contacts_list)", f(efficiency, "%.1f×")
                + " (peer " + f(peerCpu, "%.0f µs") + "); stateless path " + f(statelessEfficiency, "%.1f×"), "≥ 12×",
                verdict(efficiency, 12, false));
        target(md, "gateway-only call calls/s ÷ bare echo (16 connections)", f(ownRatio, "%.2f×") + " (list_operations for one "
                + "operation: " + f(num(own16, "callsPerSecond"), "%.0f") + " / " + f(num(echo16, "callsPerSecond"), "%.0f")
                + "); organizations_current, which asks the workspace each time: " + f(orgRatio, "%.2f×"), "≥ 0.8×",
                verdict(ownRatio, 0.8, false));
        target(md, "added p50 / p99 over direct at 500 calls/s (contacts_list)", f(addP50, "%.2f") + " / " + f(addP99, "%.2f ms")
                + " (gateway " + f(num(gw500, "p50Ms"), "%.2f") + " / " + f(num(gw500, "p99Ms"), "%.2f") + ", direct "
                + f(num(direct500, "p50Ms"), "%.2f") + " / " + f(num(direct500, "p99Ms"), "%.2f") + ")", "≤ 0.25 / 1 ms",
                verdict(addP50, 0.25, true) + " / " + verdict(addP99, 1, true));
        target(md, "per-call cost: curated set → all operations → 1,000 operations (gateway CPU per contacts_list, each warmed "
                + "until its CPU per call settled)", f(curated, "%.0f") + " → " + f(all, "%.0f") + " → " + f(thousand, "%.0f µs")
                + " (" + f(flat, "%.2f×") + ")", "within 1.2× of the curated figure", verdict(flat, 1.2, true));
        target(md, "cold start to the first successful tools/call, the image's command line (JDK 17, median of 3)",
                f(coldImage, "%.0f ms") + (coldAot == null ? "" : "; JDK 25 with the AOT cache: " + f(coldAot, "%.0f ms")),
                "≤ 1,000 ms in the image", verdict(coldImage, 1000, true));
        target(md, "stdio: process start to the first answered tools/call (median of 3)", f(stdio, "%.0f ms"), "≤ 1,500 ms",
                verdict(stdio, 1500, true));
        target(md, "resident memory under the 64-connection load, the image's options in the deployment's container",
                f(rss, "%.0f MB") + (container == null ? "" : " (idle " + mb(container.get("rssIdleKb")) + " MB; "
                        + f(container.get("cpuMicrosPerCall"), "%.0f") + " µs CPU per call; `" + container.get("jvmOptions") + "`)"),
                "≤ 200 MB, no CPU penalty", verdict(rss, 200, true));
        target(md, "tools/list, curated set (whole answer)", f(toolsList == null ? null : toolsList / 1024, "%.1f KB") + " (output schemas "
                + f(sizes.get("toolsListOutputSchemaBytes") == null ? null : num(sizes, "toolsListOutputSchemaBytes") / 1024, "%.1f KB") + ")",
                "≤ 40 KB, every schema exact", verdict(toolsList == null ? null : toolsList / 1024, 40, true));
        target(md, "list_operations {}: the first page's result", f(operationsPage == null ? null : operationsPage / 1024, "%.1f KB")
                + " (" + sizes.get("listOperationsItems") + " operations with their schemas, cursor: " + sizes.get("listOperationsHasCursor")
                + "; the whole answer with its text block " + f(sizes.get("listOperationsAnswerBytes") == null ? null
                        : num(sizes, "listOperationsAnswerBytes") / 1024, "%.1f KB") + ")",
                "≤ 8 KB with a cursor", verdict(operationsPage == null ? null : operationsPage / 1024, 8, true));
        md.append("\nA missed target is given with how far it is off; the closing note of issue 19 says what the profile shows.\n\n");
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
