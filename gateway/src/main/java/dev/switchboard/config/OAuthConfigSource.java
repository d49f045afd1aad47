package dev.switchboard.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * The Quarkus OIDC settings, derived from the gateway's own (MCP_AUTH_MODE, MCP_OAUTH_ISSUER, MCP_PUBLIC_URL,
 * MCP_PATH), so that an operator sets each fact once: the token validator is on only when tokens are taken, trusts
 * the one issuer, and wants tokens minted for this gateway's canonical URL. An explicit QUARKUS_OIDC_* setting still
 * wins.
 */
public class OAuthConfigSource implements ConfigSourceFactory {

    /** Above application.properties (250), which turns the validator off by default; below the environment (300). */
    private static final int ORDINAL = 275;

    @Override
    public Iterable<org.eclipse.microprofile.config.spi.ConfigSource> getConfigSources(ConfigSourceContext context) {
        String mode = value(context, "mcp.auth-mode", "api-key").trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        String issuer = value(context, "mcp.oauth-issuer", "");
        String publicUrl = value(context, "mcp.public-url", "");
        Map<String, String> derived = new HashMap<>();
        if (!mode.equals("api-key") && !issuer.isBlank() && !publicUrl.isBlank()) {
            ProtectedResource resource = ProtectedResource.of(java.net.URI.create(publicUrl.trim()),
                    value(context, "mcp.path", Endpoints.MCP), java.net.URI.create(issuer.trim()));
            derived.put("quarkus.oidc.tenant-enabled", "true");
            derived.put("quarkus.oidc.auth-server-url", resource.issuer());
            derived.put("quarkus.oidc.token.audience", resource.resource());
        }
        return List.of(new PropertiesConfigSource(derived, "switchboard-oauth", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static String value(ConfigSourceContext context, String name, String fallback) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null ? fallback : value.getValue();
    }
}
