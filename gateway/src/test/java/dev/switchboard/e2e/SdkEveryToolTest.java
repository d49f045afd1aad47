package dev.switchboard.e2e;

import java.net.URL;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.NodeScript;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The official TypeScript SDK as real clients use it (src/test/node/sdk-every-tool.mjs): lists the tools first, so
 * that the SDK validates every structured result against its outputSchema, then calls every tool of the default set
 * with valid arguments over Streamable HTTP and legacy SSE. Each structured result is also validated with Ajv
 * (draft 2020-12) by the script itself, and each envelope and text block is checked.
 */
@QuarkusTest
class SdkEveryToolTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void everyToolOfTheDefaultSetWorksFromTheTypeScriptSdk() throws Exception {
        NodeScript.runAndAssert(base, "sdk-every-tool.mjs", 240, "default");
    }
}
