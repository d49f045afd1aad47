package dev.switchboard.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every request header the gateway reads, described once: its name, what it stands for, the setting that supplies it
 * over stdio (where the stdio bridge adds it to each request), whether browsers may send it (CORS) or read it, whether a
 * legacy SSE message carries it to the replica holding the stream, and the words the metadata endpoint and the README
 * use. Adding a header is one line here; every transport and every document follows.
 */
public enum RequestHeader {

    AUTHORIZATION("Authorization", Role.CREDENTIAL, GatewayConfig::backendAuthorization, "MCP_BACKEND_AUTHORIZATION",
            "Bearer <API key>: every tools/call needs it; initialize, ping and tools/list work without it."),
    COMPANY_ID("X-Company-ID", Role.CREDENTIAL, GatewayConfig::companyId, "MCP_COMPANY_ID",
            "Pins the organization every call acts on."),
    AGENCY_ID("X-Agency-ID", Role.CREDENTIAL, GatewayConfig::agencyId, "MCP_AGENCY_ID",
            "Narrows the reachable organizations to one agency's."),
    ACCOUNT_ID("x-account-id", Role.CREDENTIAL, config -> Optional.empty(), null,
            "Default mailbox of the inbox tools."),
    ACTING_USER("X-Acting-User", Role.INTERNAL, null, null,
            "Set by the gateway for a user it authenticated by OAuth (never taken from a client): the user its service "
                    + "credential acts for."),
    STDIO_BRIDGE_TOKEN("X-Stdio-Bridge-Token", Role.RELAY, null, null,
            "This process's own token (BridgeToken) on a request its stdio bridge or its loopback relay sends."),
    RELAYED_CLIENT("X-Relayed-Client", Role.RELAY, null, null,
            "The address of the client a loopback request is relayed for; believed only beside the bridge token."),
    SESSION_ID("Mcp-Session-Id", Role.PROTOCOL, null, null,
            "The MCP session (2025 protocol versions), as initialize answered it."),
    PROTOCOL_VERSION("MCP-Protocol-Version", Role.PROTOCOL, null, null, "The MCP protocol version of the request."),
    METHOD("Mcp-Method", Role.PROTOCOL, null, null, "The request's JSON-RPC method (2026-07-28), checked against the body."),
    NAME("Mcp-Name", Role.PROTOCOL, null, null, "The tool, prompt or resource a request names (2026-07-28), checked "
            + "against the body."),
    LAST_EVENT_ID("Last-Event-ID", Role.PROTOCOL, null, null, "Where a resumed event stream continues."),
    CONTENT_TYPE("Content-Type", Role.TRANSPORT, null, null, "application/json"),
    ACCEPT("Accept", Role.TRANSPORT, null, null, "application/json, text/event-stream");

    /** What a header is for. */
    public enum Role {
        /** Who calls and what they act on: read into the caller's credentials, documented for client configurations. */
        CREDENTIAL,
        /** MCP's own headers. */
        PROTOCOL,
        /** HTTP's own headers. */
        TRANSPORT,
        /** Set by the gateway itself between its own stages, about the caller; a client's is removed. */
        INTERNAL,
        /**
         * Set by the gateway on a request it sends to itself over loopback (the stdio bridge, the stateless relay):
         * never offered to browsers, never forwarded to another replica (each replica has its own token).
         */
        RELAY
    }

    private final String wireName;
    private final Role role;
    private final Function<GatewayConfig, Optional<String>> stdioValue;
    private final String stdioSetting;
    private final String description;

    RequestHeader(String wireName, Role role, Function<GatewayConfig, Optional<String>> stdioValue, String stdioSetting,
            String description) {
        this.wireName = wireName;
        this.role = role;
        this.stdioValue = stdioValue;
        this.stdioSetting = stdioSetting;
        this.description = description;
    }

    /** The name as clients send it (header names are case-insensitive). */
    public String wireName() {
        return wireName;
    }

    public Role role() {
        return role;
    }

    public String description() {
        return description;
    }

    /** The setting that supplies this header over stdio, if any (for messages that name what the user set). */
    public Optional<String> stdioSetting() {
        return Optional.ofNullable(stdioSetting);
    }

    /** The value the stdio bridge adds to each request. */
    public Optional<String> stdioValue(GatewayConfig config) {
        return stdioValue == null ? Optional.empty() : stdioValue.apply(config);
    }

    /** These headers' names in lower case, for comparing with the names a request carries. */
    public static Set<String> lowerCase(RequestHeader... headers) {
        return Arrays.stream(headers).map(header -> header.wireName.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The headers browsers may send (CORS preflight answer). */
    public static String corsAllowed() {
        return Arrays.stream(values()).filter(header -> header.role != Role.INTERNAL && header.role != Role.RELAY)
                .map(RequestHeader::wireName).collect(Collectors.joining(", "));
    }

    /** The same, with the key header this operator's settings name. */
    public static String corsAllowed(GatewayConfig config) {
        return corsAllowed() + keyHeader(config).map(header -> ", " + header).orElse("");
    }

    public static final String KEY_HEADER_DESCRIPTION = "The API key, for clients that send no Authorization header "
            + "(as the inbox reference's clients send their shared secret).";

    /**
     * The header that also carries the API key when a client sends no Authorization header, as the inbox reference's
     * clients send their shared secret: {@code x-<prefix>-key}, the tool prefix without its trailing separator
     * ({@code x-mail-key} for MCP_TOOL_PREFIX=mail_). None without a prefix.
     */
    public static Optional<String> keyHeader(GatewayConfig config) {
        return config.toolPrefix().map(prefix -> prefix.replaceAll("[_-]+$", "").toLowerCase(Locale.ROOT))
                .filter(name -> !name.isEmpty()).map(name -> "x-" + name + "-key");
    }

    /** The response headers browsers may read. */
    public static String corsExposed() {
        return SESSION_ID.wireName;
    }

    /** What a legacy SSE message carries to the replica holding its stream (lower case). */
    public static Set<String> forwardedAcrossReplicas() {
        return Arrays.stream(values()).filter(header -> header != LAST_EVENT_ID && header != SESSION_ID && header.role != Role.RELAY)
                .map(header -> header.wireName.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** The same, with the key header this operator's settings name. */
    public static Set<String> forwardedAcrossReplicas(GatewayConfig config) {
        Set<String> forwarded = new java.util.HashSet<>(forwardedAcrossReplicas());
        keyHeader(config).ifPresent(forwarded::add);
        return Set.copyOf(forwarded);
    }

    /** The headers a client configuration may set. */
    public static List<RequestHeader> credentials() {
        return Arrays.stream(values()).filter(header -> header.role == Role.CREDENTIAL).toList();
    }

    /**
     * What tells callers apart: the headers a client sets, and the user the gateway authenticated for it. The caller's
     * credentials carry each of these, and what a caller owns (a task, a request state) is bound to all of them.
     */
    public static List<RequestHeader> caller() {
        return CALLER;
    }

    /** Read on every call (the credentials, the caller binding): worked out once. */
    private static final List<RequestHeader> CALLER = Arrays.stream(values())
            .filter(header -> header.role == Role.CREDENTIAL || header.role == Role.INTERNAL).toList();
}
