package dev.switchboard.e2e;

import java.net.URL;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.NodeScript;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Every catalog operation as a tool (and the native tools), each called with valid arguments from the TypeScript SDK
 * over Streamable HTTP and legacy SSE, jobs included (src/test/node/sdk-every-tool.mjs). All expose-all checks of
 * the real clients live here, so that the profile costs one Quarkus restart.
 */
@QuarkusTest
@TestProfile(SdkEveryToolExposeAllTest.ExposeAll.class)
class SdkEveryToolExposeAllTest {

    public static class ExposeAll implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mcp.expose-all-operations", "true");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void everyCatalogOperationIsAToolThatWorksFromTheTypeScriptSdk() throws Exception {
        NodeScript.runAndAssert(base, "sdk-every-tool.mjs", 300, "all");
    }
}
