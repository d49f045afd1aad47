package dev.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Gateway;
import dev.switchboard.support.NodeScript;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A client nobody here wrote: the official TypeScript MCP SDK connects over Streamable HTTP and legacy SSE, lists the
 * tools and runs the invoice workflow (search, read, label), plus a long operation with progress
 * (src/test/node/e2e.mjs). Node and npm come from the machine; the SDK from the npm registry, pinned in the lock file.
 */
@QuarkusTest
class NodeSdkClientTest {

    @TestHTTPResource("/")
    java.net.URL base;

    @Test
    void theTypeScriptSdkWorksOverBothTransports() throws Exception {
        Gateway.resetSandbox();
        String output = NodeScript.runAndAssert(base, "e2e.mjs", 180);
        assertThat(output).contains("ok - [streamable-http] client.listTools()").contains("ok - [sse] client.listTools()");
    }
}
