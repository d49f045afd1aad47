package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.switchboard.support.Processes;

/**
 * The official MCP Python SDK 2.3.0, installed by pip into a virtual environment of the build, against the packaged
 * gateway in each way it connects: pinned to the stateless version (2026-07-28), in its default mode (which asks
 * server/discover first and so picks 2026-07-28 here) and in its legacy mode (the initialize handshake). Each lists the
 * tools, gets a prompt, reads the organizations and mailboxes resources, reads and switches the organization, creates a
 * contact twice with one idempotency key and reads it as a resource, runs contacts_import through run_operation as a
 * job with progress notifications, and answers the gateway's question which of org_acme's two mailboxes to use
 * (elicitation) with support@acme.test.
 */
class PythonSdkIT {

    private static final Path VENV = Path.of("target/python-sdk");
    private static final Path SCRIPT = Path.of("src/test/python/sdk_client.py");

    @RegisterExtension
    static final Processes processes = new Processes();
    private static GatewayProcess gateway;

    @BeforeAll
    static void start() throws Exception {
        install();
        gateway = processes.add(GatewayProcess.start("python-sdk-gateway", Map.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = { "2026-07-28", "auto", "legacy" })
    void theSdkWorksInEachMode(String mode) throws Exception {
        String output = run(List.of(VENV.resolve("bin/python").toString(), SCRIPT.toString(),
                "http://127.0.0.1:" + gateway.port + "/mcp", "sbx_alice", mode), 120);
        assertThat(output).contains("protocol " + (mode.equals("legacy") ? "2025-11-25" : "2026-07-28"))
                .containsPattern("prompt invoice_processor [1-9]\\d* messages")
                .containsPattern("resource workspace://organizations [1-9]\\d* bytes")
                .containsPattern("resource workspace://mailboxes [1-9]\\d* bytes")
                .contains("organization org_acme").contains("switched org_globex").contains("organization org_globex")
                .containsPattern("created org_acme (ct_\\S+) \\1\\s+contact resource \\1\\s")
                .containsPattern("progress [1-9]\\d* notifications, result succeeded created 2")
                .contains("mailbox choice support@acme.test");
    }

    /** pip from the indexes this machine's pip is configured with, first as the index: the default one may be unreachable. */
    private static void install() throws Exception {
        if (Files.exists(VENV.resolve("bin/python")) && run(List.of(VENV.resolve("bin/python").toString(), "-c",
                "import importlib.metadata as m; print('installed', m.version('mcp'))"), 60, true).contains("installed 2.3.0")) {
            return;
        }
        run(List.of("python3", "-m", "venv", VENV.toString()), 120);
        List<String> indexes = new ArrayList<>();
        for (String setting : List.of("global.index-url", "global.extra-index-url")) {
            String value = run(List.of("python3", "-m", "pip", "config", "get", setting), 60, true).trim();
            if (!value.isEmpty() && !value.startsWith("ERROR")) {
                indexes.addAll(Arrays.asList(value.split("\\s+")));
            }
        }
        List<String> command = new ArrayList<>(List.of(VENV.resolve("bin/pip").toString(), "install", "--quiet",
                "--no-input", "--disable-pip-version-check"));
        for (int i = 0; i < indexes.size(); i++) {
            command.add(i == 0 ? "--index-url" : "--extra-index-url");
            command.add(indexes.get(i));
        }
        command.add("mcp==2.3.0");
        run(command, 300);
    }

    private static String run(List<String> command, int seconds) throws IOException, InterruptedException {
        return run(command, seconds, false);
    }

    private static String run(List<String> command, int seconds, boolean failureIsAnswer)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + seconds + " s");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0 && !failureIsAnswer) {
            throw new AssertionError(String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n" + text);
        }
        return process.exitValue() != 0 ? "" : text;
    }
}
