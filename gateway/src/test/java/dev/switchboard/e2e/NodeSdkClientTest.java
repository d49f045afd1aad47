package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.http.TestHTTPResource;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.Gateway;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A client nobody here wrote: the official TypeScript MCP SDK connects over Streamable HTTP and legacy SSE, lists the
 * tools and runs the invoice workflow (search, read, label), plus a long operation with progress
 * (src/test/node/e2e.mjs). Node and npm come from the machine; the SDK from the npm registry, pinned in the lock file.
 */
@QuarkusTest
class NodeSdkClientTest {

    private static final Path CLIENT = Path.of("src/test/node");

    @TestHTTPResource("/")
    java.net.URL base;

    @Test
    void theTypeScriptSdkWorksOverBothTransports() throws Exception {
        Gateway.resetSandbox();
        NodeScripts.ensureInstalled();
        Result e2e = run(List.of("node", "e2e.mjs", "http://127.0.0.1:" + base.getPort()), 180);
        assertThat(e2e.output()).contains("ok - [streamable-http] client.listTools()").contains("ok - [sse] client.listTools()")
                .doesNotContain("not ok");
        assertThat(e2e.exit()).as(e2e.output()).isZero();
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        File log = File.createTempFile("node-e2e", ".log");
        Process process = new ProcessBuilder(command).directory(CLIENT.toFile()).redirectErrorStream(true)
                .redirectOutput(log).start();
        boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
        return new Result(finished ? process.exitValue() : -1, output);
    }
}
