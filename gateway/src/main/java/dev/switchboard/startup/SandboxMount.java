package dev.switchboard.startup;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.sandbox.SandboxServer;
import io.vertx.ext.web.Router;

/**
 * Mounts the embedded sandbox when this process serves it (sandbox-only mode, or no MCP_BACKEND_BASE_URL); otherwise
 * the sandbox is never created and none of its routes, its control endpoint included, exists.
 */
@ApplicationScoped
class SandboxMount {

    void mount(@Observes Router router, GatewayConfig config, Instance<SandboxServer> sandbox) {
        if (config.servesSandbox()) {
            sandbox.get().mount(router);
        }
    }
}
