package dev.switchboard.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The operator settings that reproduce each reference document (the README's "reference documents" section), one
 * profile each, shared by every test of that document so that each costs one start.
 */
public final class ReferenceProfiles {

    private ReferenceProfiles() {
    }

    /**
     * The inbox reference: the result's own fields as the structured content, verb-first tool names under the
     * product's prefix (here "mail_", standing for the product name the document writes), and its endpoint path; a
     * result budget of 5,000 tokens, so that a large result is cut in these tests.
     */
    public static class InboxDocument implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mcp.result-shape", "payload", "mcp.tool-naming", "reference", "mcp.tool-prefix", "mail_",
                    "mcp.path", "/api/mcp", "mcp.result-budget-tokens", "5000");
        }
    }

    /** The organization-scoped reference: the envelope (the default) and verb-first tool names, no prefix. */
    public static class OrganizationDocument implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mcp.tool-naming", "reference");
        }
    }
}
