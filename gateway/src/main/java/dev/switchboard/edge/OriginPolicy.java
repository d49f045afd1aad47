package dev.switchboard.edge;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.switchboard.config.BridgeToken;
import dev.switchboard.config.Endpoints;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.RequestHeader;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * The one place that decides who may talk to this server, on every route it serves (MCP, metadata, sandbox,
 * health, metrics): clients that are not on loopback are refused on the MCP and sandbox endpoints unless
 * ALLOW_REMOTE_CLIENT=true, and foreign Host and Origin headers (DNS rebinding) are refused everywhere, whatever
 * interface the server binds. Browsers on an allowed origin get CORS answers. It also serves MCP_PATH as an alias of
 * the built-in /mcp endpoint, and hides the MCP surface in sandbox-only mode.
 */
@Singleton
class OriginPolicy {

    private static final Logger LOG = Logger.getLogger(OriginPolicy.class);
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

    private final GatewayConfig config;
    private final BridgeToken bridge;
    private final Set<String> allowedOrigins = new HashSet<>();
    private final Set<String> allowedHosts = new HashSet<>();
    private final String allowedHeaders;

    OriginPolicy(GatewayConfig config, BridgeToken bridge) {
        this.config = config;
        this.bridge = bridge;
        this.allowedHeaders = RequestHeader.corsAllowed(config);
        config.allowedOrigins().orElse(List.of()).forEach(o -> allowedOrigins.add(normalizeOrigin(o)));
        config.allowedHosts().orElse(List.of()).forEach(h -> allowedHosts.add(h.toLowerCase(Locale.ROOT)));
        String host = config.host().toLowerCase(Locale.ROOT);
        if (!host.equals("0.0.0.0") && !host.equals("::") && !host.equals("[::]")) {
            allowedHosts.add(host);
        }
    }

    void register(@Observes io.quarkus.vertx.http.runtime.filters.Filters filters) {
        filters.register(this::guard, 10_000);
    }

    private void guard(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        boolean mcp = isMcpPath(path);
        boolean sandbox = path.equals(Endpoints.SANDBOX) || path.startsWith(Endpoints.SANDBOX + "/");
        if (mcp && config.sandboxOnly()) {
            Refusals.http(ctx, 404, "This process serves only the sandbox Workspace API (MCP_SANDBOX_ONLY).");
            return;
        }
        if (mcp && config.transport() == GatewayConfig.Transport.STDIO && !bridge.matches(ctx.request().getHeader(BridgeToken.HEADER))) {
            // the port exists for the stdio client's own bridge; a caller that found it is not that client
            Refusals.http(ctx, 403, "This endpoint belongs to a gateway that one MCP client started over stdio, and answers "
                    + "only that client.");
            return;
        }
        if ((mcp || sandbox) && !config.allowRemoteClient() && !isLoopback(ctx.request().remoteAddress() == null ? null
                : ctx.request().remoteAddress().host())) {
            Refusals.http(ctx, 403, "Only loopback clients are accepted; the operator can set ALLOW_REMOTE_CLIENT=true.");
            return;
        }
        String host = ctx.request().getHeader(HttpHeaders.HOST);
        if (host != null && !hostAllowed(host)) {
            LOG.debugf("Refused a request with a foreign Host on %s", path);
            Refusals.http(ctx, 403, "Host not allowed: this server answers to loopback names"
                    + (allowedHosts.isEmpty() ? "" : " and MCP_ALLOWED_HOSTS") + ".");
            return;
        }
        String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
        if (origin != null) {
            if (!originAllowed(origin)) {
                LOG.debugf("Refused a request with a foreign Origin on %s", path);
                Refusals.http(ctx, 403, "Origin not allowed: browsers may call this server from loopback pages and "
                        + "MCP_ALLOWED_ORIGINS only.");
                return;
            }
            ctx.response().putHeader("Access-Control-Allow-Origin", origin)
                    .putHeader("Vary", "Origin")
                    .putHeader("Access-Control-Expose-Headers", RequestHeader.corsExposed());
            if (ctx.request().method() == HttpMethod.OPTIONS
                    && ctx.request().getHeader("Access-Control-Request-Method") != null) {
                ctx.response().putHeader("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS")
                        .putHeader("Access-Control-Allow-Headers", allowedHeaders)
                        .putHeader("Access-Control-Max-Age", "600")
                        .setStatusCode(204).end();
                return;
            }
        }
        if (mcp) {
            String alias = config.path();
            if (!alias.equals(Endpoints.MCP) && (path.equals(alias) || path.startsWith(alias + "/"))) {
                String rest = path.substring(alias.length());
                String query = ctx.request().query();
                ctx.reroute(Endpoints.MCP + rest + (query == null ? "" : "?" + query));
                return;
            }
        }
        ctx.next();
    }

    private boolean isMcpPath(String path) {
        String alias = config.path();
        return path.equals(Endpoints.MCP) || path.startsWith(Endpoints.MCP + "/") || path.equals(alias)
                || path.startsWith(alias + "/") || path.equals(Endpoints.MANIFEST);
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
            int end = host.indexOf(']');
            host = end < 0 ? host : host.substring(0, end + 1);
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

    /** One loopback check for every component that needs it. */
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
}
