package dev.switchboard.config;

import java.util.List;
import java.util.Set;

/**
 * The MCP protocol versions this gateway speaks, newest first: the stateless era (2026-07-28 on, every request carries
 * its version, client and capabilities in {@code _meta}) and the handshake era of quarkus-mcp-server 1.13.0 (initialize
 * and optional sessions).
 */
public final class McpProtocol {

    /** The stateless versions: no initialize, no session. */
    public static final List<String> STATELESS = List.of("2026-07-28");

    /** The handshake versions, as the MCP library serves them. */
    public static final List<String> VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");

    /** Every version, newest first: what server/discover and the unsupported-version error list. */
    public static final List<String> ALL = java.util.stream.Stream.concat(STATELESS.stream(), VERSIONS.stream()).toList();

    /** The {@code _meta} keys of a stateless request and result. */
    public static final String META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
    public static final String META_CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
    public static final String META_CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
    public static final String META_LOG_LEVEL = "io.modelcontextprotocol/logLevel";
    public static final String META_SERVER_INFO = "io.modelcontextprotocol/serverInfo";
    public static final String META_SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";

    /** The prefix of every {@code _meta} member this gateway's edge and tools pass between each other. */
    public static final String META_PREFIX = "dev.switchboard/";

    /**
     * Multi round-trip input (stateless era): what a tool or prompt asks of the client ({@code inputRequests} and the
     * state to resume with), carried in its result's {@code _meta}; and, on the client's retry, its answers, the state
     * (verified) and its capabilities, carried in the request's {@code _meta}. The edge turns one into the protocol's
     * {@code input_required} result and the other back.
     */
    public static final String META_INPUT_REQUIRED = META_PREFIX + "inputRequired";
    public static final String META_INPUT = META_PREFIX + "input";
    /** Where a prompt's request for input rides instead of its result's _meta, which the MCP library 1.13.0 drops. */
    public static final String PROMPT_INPUT_REQUIRED = META_INPUT_REQUIRED + " ";
    /** The client capabilities a tool needs and the client did not declare: answered as error -32021. */
    public static final String META_REQUIRED_CAPABILITIES = META_PREFIX + "requiredCapabilities";

    /**
     * The tasks extension (stateless era): a client that declares it may get a task instead of a result for a long
     * call, and follows it with tasks/get, tasks/update and tasks/cancel.
     */
    public static final String TASKS_EXTENSION = "io.modelcontextprotocol/tasks";
    /** A tool's answer when it would rather run as a task (offered to it in {@link #META_INPUT}): the edge makes one. */
    public static final String META_RUN_AS_TASK = META_PREFIX + "runAsTask";

    /**
     * How long a client may reuse a list result (tools, prompts, resources): the lists change only when the gateway is
     * redeployed with other settings, so a minute costs a client little and spares it a round trip per turn.
     */
    public static final long LIST_TTL_MILLIS = 60_000;

    /** JSON-RPC batches exist only in 2025-03-26; the versions after it removed them, the one before had none. */
    public static final Set<String> WITH_BATCHES = Set.of("2025-03-26");

    /** What Streamable HTTP assumes when a client sends no MCP-Protocol-Version header. */
    public static final String ASSUMED = "2025-03-26";

    /** The protocol version of the legacy SSE transport. */
    public static final String ASSUMED_LEGACY = "2024-11-05";

    private McpProtocol() {
    }
}
