import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The systems under test (role: systems): how each process is started (JVM options, the gateway's environment), when it
 * counts as up, how many tools it lists, and what the machine is. The processes are {@link Procs}; each system a
 * {@link Sys}.
 */
final class Systems {

    /** The keyed-hash secret of the Redis-backed gateways (MCP_KEY_HASH_SECRET, required with REDIS_URL). */
    static final String KEY_HASH_SECRET = "bench-key-hash-secret-0123456789abcdef";
    static final String JVM_HEAP = "-Xmx512m";

    interface Probe {
        boolean ok() throws Exception;
    }

    /** The JVM options the image starts the gateway with (quarkus.jib.jvm-additional-arguments: one source). */
    static List<String> imageJvm() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Harness.root.resolve("gateway/src/main/resources/application.properties"))) {
                if (line.startsWith("quarkus.jib.jvm-additional-arguments=")) {
                    return List.of(line.substring(line.indexOf('=') + 1).trim().split(","));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new IllegalStateException("no quarkus.jib.jvm-additional-arguments in application.properties");
    }

    /** The environment the image sets for the JVM (quarkus.jib.environment-variables; not the listening address). */
    static Map<String, String> imageEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Harness.root.resolve("gateway/src/main/resources/application.properties"))) {
                java.util.regex.Matcher m = Pattern.compile("quarkus\\.jib\\.environment-variables\\.\"(\\w+)\"=(.*)").matcher(line);
                if (m.matches() && !m.group(1).equals("MCP_HOST")) {
                    env.put(m.group(1), m.group(2).trim());
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return env;
    }

    /**
     * The image's options in a container with the Kubernetes deployment's memory limit: -XX:MaxRAM stands for the
     * cgroup limit the JVM would read there (heap percentages and the choice of collector follow from it).
     */
    static List<String> imageJvmInContainer() {
        try {
            java.util.regex.Matcher limit = java.util.regex.Pattern.compile("limits:\\s*\\n(?:\\s+\\w+:.*\\n)*?\\s+memory:\\s*(\\d+)Mi")
                    .matcher(java.nio.file.Files.readString(Harness.root.resolve("k8s/deployment.yaml")));
            if (!limit.find()) {
                throw new IllegalStateException("no memory limit in k8s/deployment.yaml");
            }
            List<String> options = new ArrayList<>();
            options.add("-XX:MaxRAM=" + limit.group(1) + "m");
            options.addAll(imageJvm());
            return options;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
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
        env.putAll(extra);
        return env;
    }

    static Procs.Proc startGateway(String name, List<String> options, String backend, Map<String, String> extra) throws IOException {
        int port = Procs.freePort();
        return Procs.start(name, java(options, Harness.gatewayJar), gatewayEnv(port, backend, extra), port);
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
            Mcp.mcpOpen(c, s.path);
            String tool = s.id.equals("echo") ? "echo" : "contacts_get";
            String args = s.id.equals("echo") ? "{\"text\":\"hello\"}" : "{\"contactId\":\"ct_acme_0001\"}";
            Http.Answer a = c.send("POST", s.path, Mcp.MCP + Mcp.KEY, Mcp.call(1, tool, args));
            return a.status() == 200 && a.body().contains("\"result\"") && !a.body().contains("\"isError\":true");
        }
    }

    /**
     * How many tools a gateway lists, as its /mcp/metadata describes them: what its tools/list answers are checked
     * against, so that no count is written here and a change of the contract needs no change of the harness.
     */
    static int metadataTools(Sys s) throws IOException {
        try (Http c = new Http(s.port, 30_000)) {
            Http.Answer a = c.send("GET", s.path + "/metadata", null, null);
            int start = a.body().indexOf("\"tools\":[");
            int end = start < 0 ? -1 : a.body().indexOf(']', start);
            if (a.status() != 200 || end < 0) {
                throw new IOException("GET " + s.path + "/metadata answered " + a.status() + ": " + Mcp.abbreviate(a.body()));
            }
            return Workloads.count(Pattern.compile("\\{\"name\":"), a.body().substring(start, end));
        }
    }

    static Map<String, Object> environment() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("cpu", cpuModel());
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        env.put("jdk25", Harness.jdk25 == null ? "not used" : command(List.of(Harness.jdk25.resolve("bin/java").toString(), "-version")));
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

    private Systems() {
    }
}
