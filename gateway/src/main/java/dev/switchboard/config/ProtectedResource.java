package dev.switchboard.config;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * What this gateway is as an OAuth protected resource (RFC 9728), derived once from MCP_PUBLIC_URL, MCP_PATH and
 * MCP_OAUTH_ISSUER: the canonical MCP URL tokens must be minted for (their audience, RFC 8707), where its metadata is
 * served, the issuer and the scopes.
 */
public record ProtectedResource(String resource, String issuer, String metadataPath, String metadataUrl) {

    /** Read-only tools. */
    public static final String READ_SCOPE = "workspace:read";
    /** Every tool; implies read. */
    public static final String WRITE_SCOPE = "workspace:write";
    public static final List<String> SCOPES = List.of(READ_SCOPE, WRITE_SCOPE);
    /** Where RFC 9728 puts the metadata, in front of the resource's own path. */
    public static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

    /** Empty with API keys only. */
    public static Optional<ProtectedResource> of(GatewayConfig config) {
        if (!config.authMode().takesTokens() || config.publicUrl().isEmpty() || config.oauthIssuer().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(of(config.publicUrl().get(), config.path(), config.oauthIssuer().get()));
    }

    static ProtectedResource of(URI publicUrl, String mcpPath, URI issuer) {
        String base = publicUrl.toString().replaceAll("/+$", "");
        String metadataPath = WELL_KNOWN + mcpPath;
        return new ProtectedResource(base + mcpPath, issuer.toString().replaceAll("/+$", ""), metadataPath,
                base + metadataPath);
    }

    /** The challenge that starts a client's OAuth flow (RFC 9728 section 5.1, RFC 6750). */
    public String challenge(Optional<String> error, Optional<String> description) {
        StringBuilder value = new StringBuilder("Bearer resource_metadata=\"").append(metadataUrl).append('"')
                .append(", scope=\"").append(String.join(" ", SCOPES)).append('"');
        error.ifPresent(e -> value.append(", error=\"").append(e).append('"'));
        description.ifPresent(d -> value.append(", error_description=\"").append(d.replace("\"", "'")).append('"'));
        return value.toString();
    }
}
