import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the number of tools costs (role: measurement): tools/list and a tools/call with the curated set, with every
 * operation exposed, and with a synthetic 1,000-operation contract.
 */
final class ToolCountRows {

    static void measure(Sys curated, String backend) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(row("curated", curated));
        for (String variant : List.of("all", "synthetic-1000")) {
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put("MCP_EXPOSE_ALL_OPERATIONS", "1");
            if (variant.equals("synthetic-1000")) {
                Path contract = Contracts.synthetic(Harness.root.resolve("contract/src/main/openapi/workspace-api.yaml"), 1000, Procs.logs);
                extra.put("MCP_CONTRACT_FILE", contract.toString());
            }
            Procs.Proc p = Systems.startGateway("gateway-" + variant, List.of(Systems.JVM_HEAP), backend, extra);
            Sys s = new Sys("gateway-" + variant, "gateway, " + variant, p.port, "/mcp", p);
            s.cpu.addAll(curated.cpu);
            s.cpu.set(0, p);
            try {
                Systems.awaitUp(p, () -> Systems.firstAnswer(s));
                s.expectedTools = Mcp.toolCount(s);
                if (variant.equals("synthetic-1000") && s.expectedTools < 900) {
                    rows.add(Map.of("variant", variant, "tools", s.expectedTools, "note",
                            "not measurable: the gateway listed " + s.expectedTools + " tools from the 1,000-operation contract"));
                    Harness.NOTES.add("synthetic 1,000-operation contract (MCP_CONTRACT_FILE): the gateway listed only " + s.expectedTools
                            + " tools (all pages), so the contract file did not take effect; the row is not measurable");
                    continue;
                }
                Workloads.define(s);
                rows.add(row(variant, s));
            } finally {
                p.stop();
            }
        }
        Harness.RESULTS.put("toolCountScaling", rows);
    }

    static Map<String, Object> row(String variant, Sys s) throws Exception {
        // every variant warmed the same way, until its CPU per call settles: the JIT takes longer to settle with more
        // tools (tools/list is larger, so the mixed warm-up makes fewer calls), which a fixed warm-up measured as cost
        Op list = s.workloads.get("tools_list");
        Op contacts = s.workloads.get("contacts_list");
        Op mixed = (c, seq) -> (seq % 8 == 0 ? list : contacts).run(c, seq);
        double warmed = Load.untilSettled(s, mixed, 120);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("variant", variant);
        row.put("tools", s.expectedTools);
        row.put("warmUpSeconds", warmed);
        int bytes;
        try (Http c = Mcp.connect(s)) {
            bytes = c.send("POST", s.path, Mcp.MCP, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}").body().length();
        }
        row.put("toolsListBytes", bytes);
        for (String w : List.of("tools_list", "contacts_list")) {
            Map<String, Object> phase = Load.closed(s, w, s.workloads.get(w), 16, Harness.seconds, 0, false);
            phase.put("scalingVariant", variant);
            row.put(w + "CallsPerSecond", phase.get("callsPerSecond"));
            row.put(w + "P50Ms", phase.get("p50Ms"));
            row.put(w + "GatewayCpuMicros", ((Map<?, ?>) phase.get("cpuMicrosPerCall")).get(s.main.name));
            row.put(w + "Errors", phase.get("errors"));
        }
        row.put("rssKb", s.main.rssKb());
        return row;
    }

    private ToolCountRows() {
    }
}
