package dev.switchboard.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * Every user-facing setting of the gateway. Each method maps to an environment variable named
 * {@code MCP_<NAME>} (for example {@code backendBaseUrl()} is {@code MCP_BACKEND_BASE_URL}); defaults live
 * in application.properties so that they are written once.
 */
@ConfigMapping(prefix = "mcp")
public interface GatewayConfig {

    /** Workspace API base URL; when absent the embedded sandbox serves the API under /sandbox. */
    Optional<URI> backendBaseUrl();

    /** Authorization header (or bare API key) used when the client sends none, as over stdio. */
    Optional<String> backendAuthorization();

    /** Organization pinned for every call when the client sends no X-Company-ID (stdio). */
    Optional<String> companyId();

    /** Agency that narrows reachable organizations when the client sends no X-Agency-ID (stdio). */
    Optional<String> agencyId();

    Transport transport();

    String host();

    int port();

    /** Where the Streamable HTTP endpoint is served; legacy SSE is under {@code <path>/sse}. */
    String path();

    /** Server name advertised to clients. */
    String serverName();

    /** Prefix put in front of every tool name. */
    Optional<String> toolPrefix();

    /** JSON or YAML file overriding tool titles and descriptions, keyed by unprefixed tool name. */
    Optional<Path> toolOverridesFile();

    /** Timeout of each upstream HTTP request. */
    int requestTimeoutSeconds();

    /** Bound on a whole long operation (a followed job), independent of the per-request timeout. */
    int jobTimeoutSeconds();

    /** Register one tool per catalog operation, not only the curated set. */
    boolean exposeAllOperations();

    /** File where the embedded state store keeps organization overrides across restarts. */
    Optional<Path> sessionFile();

    /** Results above this many tokens (about four characters each) are cut at an element boundary. */
    int resultBudgetTokens();

    /** How long a key's identity (whoami and organizations) is cached. */
    int identityCacheSeconds();

    /** Tool calls allowed per key and minute; 0 disables the limit. */
    int rateLimitPerMinute();

    /** Accept MCP clients that are not on loopback (also ALLOW_REMOTE_CLIENT). */
    boolean allowRemoteClient();

    /** Browser origins allowed on the MCP endpoints besides loopback ones. */
    Optional<List<String>> allowedOrigins();

    /** Host header values allowed on the MCP endpoints besides loopback ones and MCP_HOST. */
    Optional<List<String>> allowedHosts();

    /** Serve only the sandbox Workspace API, without the MCP surface (for benchmarks and replica tests). */
    boolean sandboxOnly();

    enum Transport {
        STREAMABLE_HTTP,
        STDIO;
    }
}
