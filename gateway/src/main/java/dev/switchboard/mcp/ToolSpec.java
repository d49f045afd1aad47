package dev.switchboard.mcp;

import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.catalog.Operation;
import io.quarkiverse.mcp.server.ToolManager.ToolAnnotations;

/**
 * A tool as it is registered and described (tools/list, metadata, manifest): everything comes from the contract or,
 * for the gateway's own tools, from their argument and result records.
 *
 * @param name what clients call it (with MCP_TOOL_PREFIX)
 * @param baseName the operation or native tool name without prefix
 * @param needsOrganization false only for the tools that help choose one (list, switch)
 * @param freshIdentity the caller's identity is asked of the workspace, not taken from the cache ({@link NativeTool})
 */
record ToolSpec(String name, String baseName, String title, String description, ObjectNode inputSchema,
        ObjectNode outputSchema, ToolAnnotations annotations, Optional<Operation> operation, boolean needsOrganization,
        ToolBody body, boolean freshIdentity) {
}
