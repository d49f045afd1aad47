package dev.switchboard.mcp;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.workspace.BackendEndpoint;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Stands in front of every MCP endpoint: refuses clients that are not on loopback unless ALLOW_REMOTE_CLIENT=true,
 * refuses foreign Origin and Host headers (DNS rebinding) whatever interface the server binds, serves MCP_PATH as an
 * alias of the built-in /mcp endpoint, and hides the MCP surface in sandbox-only mode.
 */
@ApplicationScoped
class McpEndpointGuard {

    private static final Logger LOG = Logger.getLogger(McpEndpointGuard.class);
    static final String BUILT_IN_ROOT = "/mcp";
    static final String MANIFEST = "/mcp-manifest.json";
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

    private final GatewayConfig config;
    private final Set<String> allowedOrigins = new HashSet<>();
    private final Set<String> allowedHosts = new HashSet<>();

    McpEndpointGuard(GatewayConfig config) {
        this.config = config;
        config.allowedOrigins().orElse(List.of()).forEach(o -> allowedOrigins.add(normalizeOrigin(o)));
        config.allowedHosts().orElse(List.of()).forEach(h -> allowedHosts.add(h.toLowerCase(Locale.ROOT)));
        String host = config.host().toLowerCase(Locale.ROOT);
        if (!host.equals("0.0.0.0") && !host.equals("::") && !host.equals("[::]")) {
            allowedHosts.add(host);
        }
    }

    void register(@Observes Filters filters) {
        filters.register(this::guard, 10_000);
    }

    private void guard(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        boolean mcp = isMcpPath(path);
        boolean sandbox = path.startsWith(BackendEndpoint.SANDBOX_ROOT + "/");
        if (!mcp && !sandbox) {
            ctx.next();
            return;
        }
        if (mcp && config.sandboxOnly()) {
            refuse(ctx, 404, "This process serves only the sandbox Workspace API (MCP_SANDBOX_ONLY).");
            return;
        }
        if (!config.allowRemoteClient() && !isLoopback(ctx.request().remoteAddress() == null ? null
                : ctx.request().remoteAddress().host())) {
            refuse(ctx, 403, "Only loopback clients are accepted; the operator can set ALLOW_REMOTE_CLIENT=true.");
            return;
        }
        if (mcp) {
            String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
            if (origin != null && !originAllowed(origin)) {
                LOG.debugf("Refused a request with a foreign Origin on %s", path);
                refuse(ctx, 403, "Origin not allowed.");
                return;
            }
            String host = ctx.request().getHeader(HttpHeaders.HOST);
            if (host != null && !hostAllowed(host)) {
                LOG.debugf("Refused a request with a foreign Host on %s", path);
                refuse(ctx, 403, "Host not allowed.");
                return;
            }
            String alias = config.path();
            if (!alias.equals(BUILT_IN_ROOT) && (path.equals(alias) || path.startsWith(alias + "/"))) {
                String rest = path.substring(alias.length());
                String query = ctx.request().query();
                ctx.reroute(BUILT_IN_ROOT + rest + (query == null ? "" : "?" + query));
                return;
            }
        }
        ctx.next();
    }

    private boolean isMcpPath(String path) {
        String alias = config.path();
        return path.equals(BUILT_IN_ROOT) || path.startsWith(BUILT_IN_ROOT + "/") || path.equals(alias)
                || path.startsWith(alias + "/") || path.equals(MANIFEST);
    }

    boolean originAllowed(String origin) {
        try {
            URI uri = URI.create(origin.trim());
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                return false;
            }
            return LOOPBACK_NAMES.contains(uri.getHost().toLowerCase(Locale.ROOT)) || allowedOrigins.contains(normalizeOrigin(origin));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    boolean hostAllowed(String hostHeader) {
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            host = host.substring(0, host.indexOf(']') + 1);
        } else if (host.indexOf(':') == host.lastIndexOf(':') && host.contains(":")) {
            host = host.substring(0, host.indexOf(':'));
        }
        if (LOOPBACK_NAMES.contains(host) || allowedHosts.contains(host)) {
            return true;
        }
        // exposed on purpose and no host list given: any Host is accepted; browsers are still held off by Origin
        return config.allowRemoteClient() && config.allowedHosts().isEmpty();
    }

    private static String normalizeOrigin(String origin) {
        String trimmed = origin.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    static boolean isLoopback(String address) {
        if (address == null) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void refuse(RoutingContext ctx, int status, String message) {
        JsonObject error = new JsonObject().put("jsonrpc", "2.0").putNull("id")
                .put("error", new JsonObject().put("code", -32600).put("message", message));
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(error.encode());
    }
}
