package dev.switchboard.e2e;

import java.net.URL;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.NodeScript;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The workspace reference's examples with the default settings (src/test/node/reference-examples.mjs workspace): its
 * client configurations (URL, Authorization and X-Company-ID), the curated tools it names, list_operations and
 * run_operation, and the other documents' tool names answered with the names to call.
 */
@QuarkusTest
class ReferenceExamplesTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void theWorkspaceReferenceRunsAsWritten() throws Exception {
        NodeScript.runAndAssert(base, "reference-examples.mjs", 180, "workspace");
    }
}
