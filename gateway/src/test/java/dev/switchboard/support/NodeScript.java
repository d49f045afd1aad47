package dev.switchboard.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The one runner of the real-client scripts of src/test/node. A script runs as a conversation: the test reads its output
 * line by line as it comes (and may react to {@code @@ ...} lines, for example by stopping a replica) and may write lines
 * to its stdin ({@link #start}); or it runs to its end and is checked ({@link #runAndAssert}). Every script gets the
 * sandbox control token (when the test knows it) and the tool set derived from the contract ({@link ToolSet#environment});
 * one that outlives its timeout is killed with its children. The pinned npm packages are installed with {@code npm ci}
 * when one of package.json's dependencies is missing. The whole output is kept in target/node-e2e/.
 */
public final class NodeScript implements AutoCloseable {

    public static final Path DIRECTORY = Path.of("src/test/node");
    private static final Path LOGS = Path.of("target/node-e2e");

    private final Process process;
    private final Writer stdin;
    private final StringBuilder output = new StringBuilder();
    private final Thread reader;
    private final String name;

    private NodeScript(String name, Process process, BiConsumer<NodeScript, String> onLine) {
        this.name = name;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    if (line.startsWith("@@ ")) {
                        try {
                            onLine.accept(this, line);
                        } catch (RuntimeException | AssertionError e) {
                            synchronized (output) {
                                output.append("not ok - the test's reaction to \"").append(line).append("\" failed: ")
                                        .append(e).append('\n');
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "node-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code node <script> <arguments…>} in src/test/node with extra environment variables. */
    public static NodeScript start(String name, List<String> arguments, Map<String, String> environment,
            BiConsumer<NodeScript, String> onLine) throws Exception {
        ensureInstalled();
        List<String> command = new ArrayList<>();
        command.add("node");
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(DIRECTORY.toFile()).redirectErrorStream(true);
        controlToken().ifPresent(token -> builder.environment().put("SANDBOX_CONTROL_TOKEN", token));
        builder.environment().putAll(ToolSet.environment());
        builder.environment().putAll(environment);
        return new NodeScript(name, builder.start(), onLine);
    }

    /**
     * Runs {@code node <script> <base> <extra…>} against the gateway at {@code base} to its end (killed after the
     * timeout) and asserts that it passed checks, failed none and exited 0; returns its output.
     */
    public static String runAndAssert(URL base, String script, int timeoutSeconds, String... extra) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(script, "http://127.0.0.1:" + base.getPort()));
        arguments.addAll(List.of(extra));
        String name = script.replace(".mjs", "") + (extra.length > 0 ? "-" + String.join("-", extra) : "");
        NodeScript node = start(name, arguments, Map.of(), (ignored, line) -> {
        });
        String output;
        try {
            output = node.await(timeoutSeconds);
        } finally {
            node.close();
        }
        Path log = LOGS.resolve(name + ".log");
        assertThat(output).as("%s printed no passed check; its output (also in %s):%n%s", script, log, output).contains("ok - ");
        assertThat(failures(output)).as("%s failed checks (whole output in %s):%n%s", script, log, failures(output)).isEmpty();
        assertThat(node.exitValue()).as("%s exit code (whole output in %s)", script, log).isZero();
        return output;
    }

    /**
     * The token of the sandbox's control endpoint (/sandbox/_control), for the scripts' data resets: the
     * SANDBOX_CONTROL_TOKEN environment variable, else the test profile's configuration (none outside Quarkus tests).
     */
    public static Optional<String> controlToken() {
        String fromEnvironment = System.getenv("SANDBOX_CONTROL_TOKEN");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Optional.of(fromEnvironment);
        }
        try {
            return ConfigProvider.getConfig().getOptionalValue("sandbox.control-token", String.class).filter(t -> !t.isBlank());
        } catch (RuntimeException e) {
            return Optional.empty(); // no configuration outside a Quarkus test
        }
    }

    /** Writes one line to the script's stdin. */
    public void send(String line) {
        try {
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new IllegalStateException("the script " + name + " no longer reads its stdin", e);
        }
    }

    /** Waits for the script to end (killing it after the timeout), keeps its output, and returns it. */
    public String await(int timeoutSeconds) throws Exception {
        boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            close();
        }
        reader.join(10_000);
        String text = output();
        if (!finished) {
            text += "not ok - killed after " + timeoutSeconds + " s\n";
        }
        Files.createDirectories(LOGS);
        Files.writeString(LOGS.resolve(name + ".log"), text, StandardCharsets.UTF_8);
        return text;
    }

    public String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    public int exitValue() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** The "not ok" lines with their "  #" detail lines. */
    public static String failures(String output) {
        List<String> lines = new ArrayList<>();
        boolean inFailure = false;
        for (String line : output.split("\n")) {
            if (line.startsWith("not ok")) {
                inFailure = true;
                lines.add(line);
            } else if (inFailure && line.startsWith("  #")) {
                lines.add(line);
            } else {
                inFailure = false;
            }
        }
        return lines.stream().collect(Collectors.joining("\n"));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code npm ci} in src/test/node when a dependency of package.json is missing from node_modules. */
    public static void ensureInstalled() throws Exception {
        ensureInstalled(DIRECTORY);
    }

    /** {@code npm ci} in a directory of the tests' Node packages when a dependency of its package.json is missing. */
    public static synchronized void ensureInstalled(Path directory) throws Exception {
        String packageJson = Files.readString(directory.resolve("package.json"), StandardCharsets.UTF_8);
        @SuppressWarnings("unchecked")
        Map<String, Object> dependencies = (Map<String, Object>) new io.vertx.core.json.JsonObject(packageJson).getMap()
                .getOrDefault("dependencies", Map.of());
        boolean complete = dependencies.keySet().stream()
                .allMatch(dependency -> Files.isDirectory(directory.resolve("node_modules").resolve(dependency)));
        if (complete) {
            return;
        }
        Process install = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(directory.toFile())
                .redirectErrorStream(true).start();
        String text = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!install.waitFor(300, TimeUnit.SECONDS) || install.exitValue() != 0) {
            throw new IllegalStateException("npm ci in " + directory + " failed:\n" + text);
        }
    }
}
