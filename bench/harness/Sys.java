import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A system under test (role: systems): where it listens, its processes (for CPU and memory), its workloads and how many
 * tools it lists.
 */
final class Sys {
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
