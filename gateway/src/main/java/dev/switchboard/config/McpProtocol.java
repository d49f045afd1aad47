package dev.switchboard.config;

import java.util.List;
import java.util.Set;

/** The MCP protocol versions this gateway speaks (those of quarkus-mcp-server 1.13.0), newest first. */
public final class McpProtocol {

    public static final List<String> VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");

    /** JSON-RPC batches exist only in 2025-03-26; the versions after it removed them, the one before had none. */
    public static final Set<String> WITH_BATCHES = Set.of("2025-03-26");

    /** What Streamable HTTP assumes when a client sends no MCP-Protocol-Version header. */
    public static final String ASSUMED = "2025-03-26";

    /** The protocol version of the legacy SSE transport. */
    public static final String ASSUMED_LEGACY = "2024-11-05";

    private McpProtocol() {
    }
}
