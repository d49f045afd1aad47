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

    /** Retries of upstream requests that are safe to repeat (read by the fault-tolerance configuration). */
    Retry retry();

    /** Bound on a whole long operation (a followed job), independent of the per-request timeout. */
    int jobTimeoutSeconds();

    /** How often a followed job is polled. */
    int jobPollMillis();

    /** Register one tool per catalog operation, not only the curated set. */
    boolean exposeAllOperations();

    /** File where the embedded state store keeps organization overrides across restarts. */
    Optional<Path> sessionFile();

    /** Results above this many tokens (about four characters each) are cut at an element boundary. */
    int resultBudgetTokens();

    /** How long an organizations_switch override lasts (24 hours). */
    int overrideTtlSeconds();

    /** How long a key's identity (whoami and organizations) is cached. */
    int identityCacheSeconds();

    /** Tool calls allowed per key and minute; 0 disables the limit. */
    int rateLimitPerMinute();

    /** How long a state store (Redis) command may take before the call is answered as if the store were down. */
    int stateTimeoutMillis();

    /** Accept MCP clients that are not on loopback (also ALLOW_REMOTE_CLIENT). */
    boolean allowRemoteClient();

    /** Browser origins allowed on the MCP endpoints besides loopback ones. */
    Optional<List<String>> allowedOrigins();

    /** Host header values allowed on the MCP endpoints besides loopback ones and MCP_HOST. */
    Optional<List<String>> allowedHosts();

    /** Serve only the sandbox Workspace API, without the MCP surface (for benchmarks and replica tests). */
    boolean sandboxOnly();

    /**
     * The Workspace API contract to read instead of the built-in one (a backend whose API extends it, or a synthetic
     * contract for benchmarks). Operations the built-in contract lacks are relayed like any other.
     */
    Optional<Path> contractFile();

    /** Graceful shutdown (SIGTERM). */
    Shutdown shutdown();

    interface Shutdown {
        /**
         * How long a replica that received SIGTERM keeps serving the calls it has: readiness turns DOWN at once, calls
         * in flight may finish within this time, and a followed job still running then is answered with how to resume.
         */
        int drainSeconds();
    }

    /** Bounds on what one client, and all clients together, may hold open. */
    Limits limits();

    interface Limits {
        /** MCP sessions (initialize) one client address may hold; the oldest idle ones go first. */
        int sessionsPerClient();

        /** MCP sessions of all clients together. */
        int sessions();

        /** How long a session may stay unused before it is closed. */
        int sessionIdleSeconds();

        /** Failed authentications (unknown or revoked keys) one client address may make per minute. */
        int authFailuresPerMinute();

        /** How long an API key the workspace refused is remembered (by hash) without asking again. */
        int refusedKeyCacheSeconds();

        /** How long a request body may take to arrive once its headers did. */
        int bodySeconds();

        /** How long a kept-alive connection may wait for its next request. */
        int keepAliveSeconds();
    }

    /** The embedded sandbox serves the Workspace API in this process (no backend URL, or sandbox-only mode). */
    default boolean servesSandbox() {
        return sandboxOnly() || backendBaseUrl().isEmpty();
    }

    interface Retry {
        /** Attempts after the first one. */
        int maxRetries();

        /** First backoff; each later one doubles, with jitter, up to maxDelayMs. */
        long delayMs();

        long maxDelayMs();

        /** Bound on one request with all its retries. */
        int maxDurationSeconds();

        /** A 429 asking to wait longer than this is reported to the caller instead of waited out. */
        int maxRetryAfterSeconds();
    }

    /** Circuit breaker around the Workspace API (read by the fault-tolerance configuration). */
    Circuit circuit();

    interface Circuit {
        /** Calls in the rolling window that decides whether to open. */
        int requestVolume();

        double failureRatio();

        /** How long the circuit stays open before letting trial calls through. */
        int delaySeconds();

        int successThreshold();
    }

    /** Bound on concurrent upstream calls (read by the fault-tolerance configuration). */
    Bulkhead bulkhead();

    interface Bulkhead {
        int concurrency();

        int queue();
    }

    enum Transport {
        STREAMABLE_HTTP,
        STDIO;
    }
}
