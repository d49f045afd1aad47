package dev.switchboard.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.hibernate.validator.constraints.Range;

import io.smallrye.config.ConfigMapping;

/**
 * Every user-facing setting of the gateway. Each method maps to an environment variable named
 * {@code MCP_<NAME>} (for example {@code backendBaseUrl()} is {@code MCP_BACKEND_BASE_URL}); defaults live
 * in application.properties so that they are written once. What each setting allows is stated once, by the
 * constraints here: Quarkus checks them at start-up, and {@link ConfigPreflight} turns a broken one into one line that
 * names the variable and quotes the constraint's message (which says what is expected).
 */
@ConfigMapping(prefix = "mcp")
public interface GatewayConfig {

    String RATIO = "a ratio greater than 0 and at most 1, such as 0.5";

    /** Workspace API base URL; when absent the embedded sandbox serves the API under /sandbox. */
    Optional<@HttpUrl URI> backendBaseUrl();

    /**
     * The secret of the keyed hash (HMAC-SHA-256) that names API keys in the state store, so that a copy of Redis does
     * not let anyone test guessed keys. Required with REDIS_URL (the same on every replica); without Redis a random one
     * is used (kept beside the session file).
     */
    Optional<@Size(min = 32, message = KEY_HASH_SECRET) String> keyHashSecret();

    String KEY_HASH_SECRET = "a random secret of at least 32 characters, the same on every replica (for example the "
            + "output of: openssl rand -hex 32)";

    /** Who may call: API keys (the default), OAuth access tokens of one issuer, or both. */
    AuthMode authMode();

    /** The authorization server whose access tokens the gateway takes (its issuer URL); required with OAuth. */
    Optional<@HttpUrl URI> oauthIssuer();

    /**
     * The gateway's external base URL (https://mcp.example.com), as clients reach it behind any proxy: the canonical
     * MCP URL that tokens must be minted for (their audience), and the metadata's address, derive from it. Required
     * with OAuth.
     */
    Optional<@HttpUrl URI> publicUrl();

    /** The access token claim that names the workspace user the gateway acts for. */
    @NotBlank(message = "the name of a claim of the access token, such as sub or email")
    String oauthUserClaim();

    /**
     * The gateway's own credential upstream (Authorization value) for OAuth users: the gateway acts for the user the
     * token names (X-Acting-User) and never sends the user's token. Required with OAuth and MCP_BACKEND_BASE_URL; the
     * embedded sandbox has its own.
     */
    Optional<String> serviceAuthorization();

    /** How callers authenticate. */
    enum AuthMode {
        API_KEY,
        OAUTH,
        BOTH;

        public boolean takesTokens() {
            return this != API_KEY;
        }

        public boolean takesKeys() {
            return this != OAUTH;
        }
    }

    /** Authorization header (or bare API key) used when the client sends none, as over stdio. */
    Optional<String> backendAuthorization();

    /** Organization pinned for every call when the client sends no X-Company-ID (stdio). */
    Optional<String> companyId();

    /** Agency that narrows reachable organizations when the client sends no X-Agency-ID (stdio). */
    Optional<String> agencyId();

    Transport transport();

    /**
     * Also serve the official MCP conformance suite's fixtures (its {@code test_*} tools, prompts and {@code test://}
     * resources), so that the suite can run in full against this gateway. Never in production: they need no key.
     */
    boolean conformanceFixtures();

    @NotBlank(message = "an interface address such as 127.0.0.1 or 0.0.0.0")
    String host();

    @Range(min = 0, max = 65535, message = "a TCP port number between 1 and 65535 (0 picks a free port)")
    int port();

    /** Where the Streamable HTTP endpoint is served; legacy SSE is under {@code <path>/sse}. */
    @Pattern(regexp = "/[A-Za-z0-9._~/-]*[A-Za-z0-9._~-]", message = "an absolute URL path such as /mcp (starts with /, no trailing /)")
    String path();

    /** Server name advertised to clients. */
    @NotBlank(message = "a name shown to clients, such as platform-backend")
    String serverName();

    /** Prefix put in front of every tool name. */
    Optional<@Pattern(regexp = "[A-Za-z][A-Za-z0-9_-]{0,31}", message = "letters, digits, _ or -, starting with a letter, at most 32 characters") String> toolPrefix();

    /**
     * How tools are named (before MCP_TOOL_PREFIX): {@code catalog}, the contract's names ({@code contacts_list}), or
     * {@code reference}, the verb-first names of the MCP reference documents ({@code list_contacts},
     * {@code get_current_organization}).
     */
    @Pattern(regexp = "(?i)catalog|reference", message = TOOL_NAMING)
    String toolNaming();

    String TOOL_NAMING = "catalog (the contract's names, such as contacts_list; the default) or reference (verb-first "
            + "names, such as list_contacts and get_current_organization)";

    /** Verb-first tool names ({@code reference}) rather than the contract's. */
    default boolean referenceToolNames() {
        return toolNaming().equalsIgnoreCase("reference");
    }

    /**
     * What a successful tool result's structured content is: {@code envelope}, {@code {organization, mailbox?, result,
     * truncated?, notice?}}, or {@code payload}, the result's own fields, with the organization and mailbox in the
     * result's {@code _meta}. The text block starts with the {@code [organization]} header either way.
     */
    @Pattern(regexp = "(?i)envelope|payload", message = RESULT_SHAPE)
    String resultShape();

    String RESULT_SHAPE = "envelope ({organization, mailbox, result} around each result; the default) or payload (the "
            + "result's own fields at the top of structuredContent, the organization and mailbox in its _meta)";

    /** The result's own fields at the top of the structured content ({@code payload}). */
    default boolean payloadResults() {
        return resultShape().equalsIgnoreCase("payload");
    }

    /** JSON or YAML file overriding tool titles and descriptions, keyed by unprefixed tool name. */
    Optional<@ReadableFile(message = "the path of a readable JSON or YAML file") Path> toolOverridesFile();

    /** Timeout of each upstream HTTP request. */
    @Range(min = 1, max = 3600, message = "a whole number of seconds between 1 and 3600")
    int requestTimeoutSeconds();

    /** Retries of upstream requests that are safe to repeat (read by the fault-tolerance configuration). */
    Retry retry();

    /** Bound on a whole long operation (a followed job), independent of the per-request timeout. */
    @Range(min = 1, max = 86400, message = "a whole number of seconds between 1 and 86400")
    int jobTimeoutSeconds();

    /** How often a followed job is polled. */
    @Range(min = 10, max = 60000, message = "a number of milliseconds between 10 and 60000")
    int jobPollMillis();

    /** Register one tool per catalog operation, not only the curated set. */
    boolean exposeAllOperations();

    /** File where the embedded state store keeps organization overrides across restarts. */
    Optional<Path> sessionFile();

    /** Results above this many tokens (about four characters each) are cut at an element boundary. */
    @Range(min = 500, max = 1000000, message = "a number of tokens between 500 and 1000000")
    int resultBudgetTokens();

    /** How long an organizations_switch override lasts (24 hours). */
    @Range(min = 1, max = 2592000, message = "a whole number of seconds between 1 and 2592000")
    int overrideTtlSeconds();

    /** How long a key's identity (whoami and organizations) is cached. */
    @Range(min = 0, max = 3600, message = "a whole number of seconds between 0 and 3600")
    int identityCacheSeconds();

    /** Tool calls allowed per key and minute; 0 disables the limit. */
    @Range(min = 0, max = 1000000, message = "a number of calls per minute, 0 to disable")
    int rateLimitPerMinute();

    /** How long a state store (Redis) command may take before the call is answered as if the store were down. */
    @Range(min = 10, max = 60000, message = "a number of milliseconds between 10 and 60000")
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
    Optional<@ReadableFile(message = "the path of a readable OpenAPI (YAML or JSON) file") Path> contractFile();

    /** Graceful shutdown (SIGTERM). */
    Shutdown shutdown();

    interface Shutdown {
        /**
         * Seconds kept back at the end of the drain to write the last answers before the process stops; a call must be
         * able to end before that, so the drain covers the request timeout plus this (checked at start-up).
         */
        int ANSWER_MARGIN_SECONDS = 2;

        /**
         * How long a replica that received SIGTERM keeps serving the calls it has: readiness turns DOWN at once, calls
         * in flight may finish within this time, and a followed job still running then is answered with how to resume.
         */
        @Range(min = 0, max = 3600, message = "a whole number of seconds between 0 and 3600")
        int drainSeconds();
    }

    /** Bounds on what one client, and all clients together, may hold open. */
    Limits limits();

    interface Limits {
        /**
         * MCP sessions one client address may hold: initialize (the oldest goes first) and legacy SSE streams (the new
         * one is refused).
         */
        @Range(min = 1, max = 100000, message = "a number of sessions between 1 and 100000")
        int sessionsPerClient();

        /** Connections one client address may keep busy at once: requests being served and open event streams. */
        @Range(min = 1, max = 100000, message = "a number of connections between 1 and 100000")
        int connectionsPerClient();

        /**
         * Connections all clients together may keep busy; kept below the server's own connection limit
         * (quarkus.http.limits.max-connections), so that health probes are answered when it is spent.
         */
        @Range(min = 1, max = 1000000, message = "a number of connections between 1 and 1000000")
        int connections();

        /** MCP sessions of all clients together (legacy SSE streams included). */
        @Range(min = 1, max = 1000000, message = "a number of sessions between 1 and 1000000")
        int sessions();

        /** How long a session may stay unused before it is closed. */
        @Range(min = 1, max = 86400, message = "a whole number of seconds between 1 and 86400")
        int sessionIdleSeconds();

        /** Failed authentications (unknown or revoked keys) one client address may make per minute. */
        @Range(min = 0, max = 1000000, message = "a number of failed authentications per minute, 0 to disable")
        int authFailuresPerMinute();

        /** How long an API key the workspace refused is remembered (by hash) without asking again. */
        @Range(min = 0, max = 3600, message = "a whole number of seconds between 0 and 3600")
        int refusedKeyCacheSeconds();

        /** How long a request body may take to arrive once its headers did. */
        @Range(min = 1, max = 3600, message = "a whole number of seconds between 1 and 3600")
        int bodySeconds();

        /** How long a kept-alive connection may wait for its next request. */
        @Range(min = 1, max = 3600, message = "a whole number of seconds between 1 and 3600")
        int keepAliveSeconds();
    }

    /** The embedded sandbox serves the Workspace API in this process (no backend URL, or sandbox-only mode). */
    default boolean servesSandbox() {
        return sandboxOnly() || backendBaseUrl().isEmpty();
    }

    interface Retry {
        /** Attempts after the first one. */
        @Range(min = 0, max = 10, message = "a number of retries between 0 and 10")
        int maxRetries();

        /** First backoff; each later one doubles, with jitter, up to maxDelayMs. */
        @Range(min = 1, max = 60000, message = "a number of milliseconds between 1 and 60000")
        long delayMs();

        @Range(min = 1, max = 300000, message = "a number of milliseconds between 1 and 300000")
        long maxDelayMs();

        /** Bound on one request with all its retries. */
        @Range(min = 1, max = 3600, message = "a whole number of seconds between 1 and 3600")
        int maxDurationSeconds();

        /** A 429 asking to wait longer than this is reported to the caller instead of waited out. */
        @Range(min = 0, max = 3600, message = "a whole number of seconds between 0 and 3600")
        int maxRetryAfterSeconds();
    }

    /** Circuit breaker around the Workspace API (read by the fault-tolerance configuration). */
    Circuit circuit();

    interface Circuit {
        /** Calls in the rolling window that decides whether to open. */
        @Range(min = 1, max = 10000, message = "a number of calls between 1 and 10000")
        int requestVolume();

        @DecimalMin(value = "0", inclusive = false, message = RATIO)
        @DecimalMax(value = "1", message = RATIO)
        double failureRatio();

        /** How long the circuit stays open before letting trial calls through. */
        @Range(min = 1, max = 3600, message = "a whole number of seconds between 1 and 3600")
        int delaySeconds();

        @Range(min = 1, max = 1000, message = "a number of calls between 1 and 1000")
        int successThreshold();
    }

    /** Bound on concurrent upstream calls (read by the fault-tolerance configuration). */
    Bulkhead bulkhead();

    interface Bulkhead {
        @Range(min = 1, max = 10000, message = "a number of concurrent calls between 1 and 10000")
        int concurrency();

        @Range(min = 0, max = 100000, message = "a number of waiting calls between 0 and 100000")
        int queue();
    }

    enum Transport {
        /** Streamable HTTP at MCP_PATH, legacy SSE at /mcp/sse. */
        STREAMABLE_HTTP,
        /** The same server, for configurations that name the legacy SSE transport: both endpoints are served. */
        SSE,
        /** One client over stdin and stdout, relayed to a loopback HTTP endpoint only it may use. */
        STDIO;
    }
}
