package dev.switchboard.startup;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.switchboard.catalog.EmbeddedSandbox;
import dev.switchboard.catalog.OperationCatalog;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.mcp.ToolRegistry;
import dev.switchboard.tenancy.Admission;
import io.quarkus.vertx.http.HttpServer;
import io.quarkus.vertx.http.HttpServerStart;

/** Says at start-up which mode is active, where to connect, which state store is used and, in sandbox mode, the demo keys. */
@ApplicationScoped
class StartupBanner {

    private static final Logger LOG = Logger.getLogger("switchboard");

    void show(@ObservesAsync HttpServerStart started, HttpServer server, GatewayConfig config, Admission tenancy,
            ToolRegistry tools, OperationCatalog catalog, Instance<EmbeddedSandbox> embeddedSandbox,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "") String version) {
        // the port actually bound: MCP_PORT=0 picks a free one
        String base = "http://" + config.host() + ":" + server.getPort();
        StringBuilder banner = new StringBuilder("\nSwitchboard MCP gateway \"").append(config.serverName()).append("\" ")
                .append(version).append('\n');
        if (config.sandboxOnly()) {
            banner.append("  Mode:        sandbox Workspace API only, at ").append(base).append("/sandbox (no MCP endpoint)\n");
        } else {
            if (config.backendBaseUrl().isPresent()) {
                URI backend = config.backendBaseUrl().get();
                banner.append("  Mode:        Workspace API at ").append(backend.getScheme()).append("://").append(backend.getHost())
                        .append(backend.getPort() > 0 ? ":" + backend.getPort() : "").append(" (MCP_BACKEND_BASE_URL)\n");
            } else {
                banner.append("  Mode:        embedded sandbox Workspace API at ").append(base)
                        .append("/sandbox (set MCP_BACKEND_BASE_URL for a real backend)\n");
            }
            if (config.transport() == GatewayConfig.Transport.SSE) {
                banner.append("  MCP:         legacy SSE ").append(base).append("/mcp/sse (MCP_TRANSPORT=sse), Streamable HTTP ")
                        .append(base).append(config.path());
            } else {
                banner.append("  MCP:         ").append(config.transport() == GatewayConfig.Transport.STDIO
                        ? "stdio, relayed to an endpoint only this process's stdio bridge may use, " : "")
                        .append("Streamable HTTP ").append(base).append(config.path()).append(", legacy SSE ").append(base)
                        .append("/mcp/sse");
            }
            banner.append(", metadata ").append(base).append(config.path()).append("/metadata\n");
            banner.append("  Tools:       ").append(tools.entries().size()).append(config.exposeAllOperations()
                    ? " (every operation)" : " (curated; MCP_EXPOSE_ALL_OPERATIONS=1 exposes all " + catalog.all().size() + ")")
                    .append('\n');
            banner.append("  State store: ").append(tenancy.storeKind()).append(tenancy.storeKind().equals("redis") ? ""
                    : " (set REDIS_URL to share organization state between replicas)").append('\n');
            banner.append("  Clients:     ").append(config.allowRemoteClient() ? "any address (ALLOW_REMOTE_CLIENT=true)" : "loopback only")
                    .append('\n');
        }
        if (config.servesSandbox()) {
            EmbeddedSandbox sandbox = SandboxMount.sandbox(embeddedSandbox);
            banner.append("  Control:     ").append(base).append("/sandbox/_control (faults, reset) needs the header ")
                    .append(sandbox.controlTokenHeader()).append(": ").append(sandbox.controlToken())
                    .append(sandbox.controlTokenGenerated() ? " (random at each start; SANDBOX_CONTROL_TOKEN fixes it)" : "")
                    .append('\n');
            banner.append("  Demo keys:\n");
            for (EmbeddedSandbox.DemoKey key : sandbox.demoKeys()) {
                banner.append(String.format("    %-20s %-34s %s%n", key.key(), key.kind(), key.access()));
            }
        }
        LOG.info(banner.toString().stripTrailing());
    }
}
