package dev.switchboard.e2e;

import java.net.URL;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.NodeScript;
import dev.switchboard.support.ReferenceProfiles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The inbox reference's own code, run as written against the settings that reproduce it (payload results, verb-first
 * names under the prefix mail_, its endpoint path): the curl smoke test, the API key header and the metadata
 * endpoint, the minimal Node client and the bootstrap sequence (structuredContent.accounts, .threads,
 * .nextPageToken), and the three blueprints, each checked for the end state it describes.
 */
@QuarkusTest
@TestProfile(ReferenceProfiles.InboxDocument.class)
class InboxReferenceExamplesTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void theInboxReferenceRunsAsWritten() throws Exception {
        NodeScript.runAndAssert(base, "reference-examples.mjs", 180, "inbox");
    }
}
