package dev.switchboard.e2e;

import java.net.URL;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.NodeScript;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * mcp-remote, the stdio bridge for clients without HTTP support, started as a stdio process with the Authorization
 * header and driven by the SDK's StdioClientTransport, to Streamable HTTP and to legacy SSE
 * (src/test/node/mcp-remote.mjs).
 */
@QuarkusTest
class McpRemoteTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void mcpRemoteBridgesStdioToTheGateway() throws Exception {
        NodeScript.runAndAssert(base, "mcp-remote.mjs", 120);
    }
}
