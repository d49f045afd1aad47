package dev.switchboard.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One of the gateway's own tools, as its family defines it; {@link ToolRegistry} names, words and registers it like
 * every other tool.
 *
 * @param resultSchema the schema of {@code result} in the envelope
 * @param needsOrganization false for the tools that help choose an organization
 * @param freshIdentity what the key reaches is asked of the workspace on every call, not taken from the cache (the
 *        tools that show or choose the organization: a membership lost or regained shows at once)
 */
record NativeTool(String baseName, String title, String description, ObjectNode inputSchema, ObjectNode resultSchema,
        boolean readOnly, boolean destructive, boolean idempotent, boolean openWorld, boolean needsOrganization,
        boolean freshIdentity, ToolBody body) {
}
