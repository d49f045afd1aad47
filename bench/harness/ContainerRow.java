import java.util.LinkedHashMap;
import java.util.Map;

/** The gateway as the image runs it in the Kubernetes deployment's container: its options and memory limit (role: measurement). */
final class ContainerRow {

    static void measure(String backend, int redisPort) throws Exception {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("REDIS_URL", "redis://127.0.0.1:" + redisPort);
        extra.put("MCP_KEY_HASH_SECRET", Systems.KEY_HASH_SECRET);
        extra.putAll(Systems.imageEnvironment());
        Procs.Proc p = Systems.startGateway("gateway-container-options", Systems.imageJvmInContainer(), backend, extra);
        Sys s = new Sys("gateway-container", "gateway, Redis store, the image's JVM options", p.port, "/mcp", p);
        s.cpu.add(p);
        s.redisPort = redisPort;
        try {
            Systems.awaitUp(p, () -> Systems.firstAnswer(s));
            s.expectedTools = Systems.metadataTools(s);
            Workloads.define(s);
            long idle = p.rssKb();
            Load.warmUp(s, Math.max(Harness.warmupSeconds / 2, 5));
            Map<String, Object> phase = Load.closed(s, "contacts_list", s.workloads.get("contacts_list"), 64, Math.max(Harness.seconds * 2, 4), 0, true);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("jvmOptions", String.join(" ", Systems.imageJvmInContainer()) + " " + Systems.imageEnvironment());
            row.put("cpuMicrosPerCall", ((Map<?, ?>) phase.get("cpuMicrosPerCall")).get(p.name));
            row.put("rssIdleKb", idle);
            row.put("rssMaxUnder64Kb", phase.get("rssMaxKb"));
            row.put("rssAfterKb", p.rssKb());
            row.put("callsPerSecond", phase.get("callsPerSecond"));
            row.put("errors", phase.get("errors"));
            row.put("p99Ms", phase.get("p99Ms"));
            Harness.RESULTS.put("containerOptions", row);
        } finally {
            p.stop();
        }
    }

    private ContainerRow() {
    }
}
