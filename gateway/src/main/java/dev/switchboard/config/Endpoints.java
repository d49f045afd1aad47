package dev.switchboard.config;

/** The gateway's fixed HTTP paths; MCP_PATH adds an alias of the MCP endpoint. */
public final class Endpoints {

    /** The MCP library's Streamable HTTP endpoint, fixed at build time; legacy SSE lives under it. */
    public static final String MCP = "/mcp";
    public static final String LEGACY_SSE = MCP + "/sse";
    public static final String LEGACY_MESSAGES = MCP + "/messages";
    public static final String MANIFEST = "/mcp-manifest.json";
    /** Where the embedded sandbox serves the Workspace API (the sandbox has its own copy: they meet at the contract). */
    public static final String SANDBOX = "/sandbox";

    /**
     * Request attribute the HTTP edge sets when the client does not take text/event-stream; the tool-call pipeline
     * then sends no progress or log notifications, so that the answer stays plain JSON.
     */
    public static final String JSON_ONLY_REQUEST = "switchboard.json-only";

    /**
     * Request attribute holding the JSON-RPC message the edge checked, as the body now reads: later stages read it
     * instead of parsing the body again. A stage that rewrites the body sets it again.
     */
    public static final String CHECKED_MESSAGE = "switchboard.checked-message";

    private Endpoints() {
    }
}
