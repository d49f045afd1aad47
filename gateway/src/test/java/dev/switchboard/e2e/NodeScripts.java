package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.switchboard.support.NodeScript;

/**
 * Runs the real-client scripts of src/test/node against the gateway under test: installs the pinned npm packages
 * with {@code npm ci} when a dependency of package.json is missing from node_modules, runs one script with a
 * timeout, keeps its whole output in target/node-e2e/, and asserts a zero exit and no "not ok" line.
 */
final class NodeScripts {

    static final Path DIRECTORY = Path.of("src/test/node");
    private static final Path LOGS = Path.of("target/node-e2e");

    private NodeScripts() {
    }

    record Result(int exit, String output) {
    }

    /** Runs {@code node <script> <base> <extra…>} and asserts that every check passed. */
    static Result runAndAssert(URL base, String script, int timeoutSeconds, String... extra) throws Exception {
        ensureInstalled();
        List<String> command = new ArrayList<>(List.of("node", script, "http://127.0.0.1:" + base.getPort()));
        command.addAll(List.of(extra));
        Result result = run(command, timeoutSeconds);
        String name = script.replace(".mjs", "") + (extra.length > 0 ? "-" + String.join("-", extra) : "");
        Files.createDirectories(LOGS);
        Files.writeString(LOGS.resolve(name + ".log"), result.output(), StandardCharsets.UTF_8);
        String failures = NodeScript.failures(result.output());
        assertThat(result.output()).as("%s printed no passed check; its output:%n%s", script, result.output()).contains("ok - ");
        assertThat(failures).as("%s failed checks (whole output in %s):%n%s", script, LOGS.resolve(name + ".log"), failures).isEmpty();
        assertThat(result.exit()).as("%s exit code; output:%n%s", script, result.output()).isZero();
        return result;
    }

    static synchronized void ensureInstalled() throws Exception {
        String packageJson = Files.readString(DIRECTORY.resolve("package.json"), StandardCharsets.UTF_8);
        @SuppressWarnings("unchecked")
        Map<String, Object> dependencies = (Map<String, Object>) new io.vertx.core.json.JsonObject(packageJson).getMap()
                .getOrDefault("dependencies", Map.of());
        boolean complete = dependencies.keySet().stream().allMatch(name -> Files.isDirectory(DIRECTORY.resolve("node_modules").resolve(name)));
        if (!complete) {
            Result install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
            assertThat(install.exit()).as("npm ci in %s:%n%s", DIRECTORY, install.output()).isZero();
        }
    }

    static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        File log = File.createTempFile("node-e2e", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(DIRECTORY.toFile()).redirectErrorStream(true)
                    .redirectOutput(log);
            controlToken().ifPresent(token -> builder.environment().put("SANDBOX_CONTROL_TOKEN", token));
            Process process = builder.start();
            boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
            return new Result(finished ? process.exitValue() : -1,
                    finished ? output : output + "\nnot ok - killed after " + timeoutSeconds + " s");
        } finally {
            Files.deleteIfExists(log.toPath());
        }
    }

    /**
     * The token of the sandbox's control endpoint (/sandbox/_control), for the scripts' data resets: the
     * SANDBOX_CONTROL_TOKEN environment variable, else the gateway's configuration.
     */
    static Optional<String> controlToken() {
        String fromEnvironment = System.getenv("SANDBOX_CONTROL_TOKEN");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Optional.of(fromEnvironment);
        }
        for (String property : List.of("sandbox.control-token", "mcp.sandbox-control-token")) {
            Optional<String> configured = ConfigProvider.getConfig().getOptionalValue(property, String.class);
            if (configured.isPresent() && !configured.get().isBlank()) {
                return configured;
            }
        }
        return Optional.empty();
    }
}
