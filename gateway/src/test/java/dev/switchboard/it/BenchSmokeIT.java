package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.RepoRoot;

/**
 * The benchmark's smoke run (bench/run.sh --smoke, issue 10): every system of the benchmark starts on loopback and
 * answers a handful of calls of each workload correctly. Figures are not asserted; the full run is not part of the suite.
 */
class BenchSmokeIT {

    static final Path REPORT = RepoRoot.resolve("target/bench-smoke/report.md");
    static final List<String> SYSTEMS = List.of("direct", "gateway-inprocess", "gateway-redis", "echo", "ts-peer");

    @Test
    void everySystemOfTheBenchmarkAnswersCorrectly() throws Exception {
        List<String> missing = List.of("node", "npm", "redis-server").stream().filter(tool -> !onPath(tool)).toList();
        if (!missing.isEmpty() && System.getenv("CI") != null) {
            fail("the benchmark's smoke run needs " + missing + " on PATH, and CI is set");
        }
        assumeTrue(missing.isEmpty(), "the benchmark's smoke run needs " + missing + " on PATH: skipped");
        Files.createDirectories(GatewayProcess.LOGS);
        Files.deleteIfExists(REPORT);
        Path log = GatewayProcess.LOGS.resolve("bench-smoke.log");
        ProcessBuilder builder = new ProcessBuilder("bash", RepoRoot.resolve("bench/run.sh").toString(), "--smoke").redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("MCP_") || key.equals("REDIS_URL"));
        Process process = builder.start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
            fail("bench/run.sh --smoke did not finish within 3 minutes; see " + log);
        }
        String output = Files.readString(log);
        assertThat(process.exitValue()).as("bench/run.sh --smoke:%n%s", output).isZero();
        String report = Files.readString(REPORT);
        assertThat(report).contains("Wrong answers or failures: 0");
        for (String system : SYSTEMS) {
            assertThat(report).as("the smoke report names %s", system).contains("| " + system + " |");
        }
    }

    static boolean onPath(String tool) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, tool))) {
                return true;
            }
        }
        return false;
    }
}
