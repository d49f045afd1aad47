package dev.switchboard.e2e;

import java.net.URL;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.NodeScript;
import dev.switchboard.support.ReferenceProfiles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The organization-scoped reference against the settings that reproduce it (verb-first names, the envelope): every
 * name of its tool table callable, current/list/switch organization, membership changes seen on the next call, key
 * kinds, an agency header, its error codes, and every answer parsed as it says ("strip the header and decode the JSON
 * body ... organization is always present").
 */
@QuarkusTest
@TestProfile(ReferenceProfiles.OrganizationDocument.class)
class OrganizationReferenceExamplesTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void theOrganizationReferenceRunsAsWritten() throws Exception {
        NodeScript.runAndAssert(base, "reference-examples.mjs", 180, "organization");
    }
}
