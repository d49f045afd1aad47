package dev.switchboard.e2e;

import java.net.URL;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.NodeScript;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The MCP Inspector CLI, pinned in src/test/node/package.json, against the README's URL and headers: tools/list,
 * tools/call with and without --tool-arg, X-Company-ID, an invalid argument, legacy SSE
 * (src/test/node/inspector-cli.mjs).
 */
@QuarkusTest
class InspectorCliTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void theInspectorCliListsAndCallsTools() throws Exception {
        NodeScript.runAndAssert(base, "inspector-cli.mjs", 180);
    }
}
