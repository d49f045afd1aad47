package dev.switchboard.e2e;

import java.net.URL;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.NodeScript;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The reference documents' own example calls, replayed with their tool names mapped once
 * (src/test/node/reference-examples.mjs): the curl smoke test and the minimal Node fetch client (no Accept header,
 * no session), the bootstrap sequence, the three inbox blueprints (invoice processor, lead capture, daily digest),
 * the reference's argument names, the switch/current/list organization flow with its error codes, and
 * list_operations plus run_operation. Each ends in the state its document describes.
 */
@QuarkusTest
class ReferenceExamplesTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void theReferenceExamplesRunAsWritten() throws Exception {
        NodeScript.runAndAssert(base, "reference-examples.mjs", 180);
    }
}
