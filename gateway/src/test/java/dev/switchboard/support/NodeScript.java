package dev.switchboard.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * A real-client script of src/test/node run as a conversation: the test reads its output line by line as it comes
 * (and reacts to {@code @@ ...} lines, for example by stopping a replica) and may write lines to its stdin. The pinned
 * npm packages are installed with {@code npm ci} when one of package.json's dependencies is missing. The whole output
 * is kept in target/node-e2e/.
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
        builder.environment().putAll(environment);
        return new NodeScript(name, builder.start(), onLine);
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
    public static synchronized void ensureInstalled() throws Exception {
        String packageJson = Files.readString(DIRECTORY.resolve("package.json"), StandardCharsets.UTF_8);
        @SuppressWarnings("unchecked")
        Map<String, Object> dependencies = (Map<String, Object>) new io.vertx.core.json.JsonObject(packageJson).getMap()
                .getOrDefault("dependencies", Map.of());
        boolean complete = dependencies.keySet().stream()
                .allMatch(dependency -> Files.isDirectory(DIRECTORY.resolve("node_modules").resolve(dependency)));
        if (complete) {
            return;
        }
        Process install = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(DIRECTORY.toFile())
                .redirectErrorStream(true).start();
        String text = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!install.waitFor(300, TimeUnit.SECONDS) || install.exitValue() != 0) {
            throw new IllegalStateException("npm ci in " + DIRECTORY + " failed:\n" + text);
        }
    }
}
