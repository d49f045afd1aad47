package dev.switchboard.startup;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import dev.switchboard.catalog.EmbeddedSandbox;
import dev.switchboard.config.GatewayConfig;
import io.vertx.ext.web.Router;

/**
 * Mounts the embedded sandbox when this process serves it (sandbox-only mode, or no MCP_BACKEND_BASE_URL); otherwise
 * the sandbox is never created and none of its routes, its control endpoint included, exists. The sandbox module is a
 * run-time dependency of the gateway: it is found here as the bean that implements {@link EmbeddedSandbox}.
 */
@ApplicationScoped
class SandboxMount {

    void mount(@Observes Router router, GatewayConfig config, Instance<EmbeddedSandbox> sandbox) {
        if (config.servesSandbox()) {
            sandbox(sandbox).mount(router);
        }
    }

    /** The embedded sandbox; a build without the sandbox module says so instead of failing on an unsatisfied bean. */
    static EmbeddedSandbox sandbox(Instance<EmbeddedSandbox> sandbox) {
        if (!sandbox.isResolvable()) {
            throw new IllegalStateException("this build has no embedded sandbox (switchboard-sandbox is not on the class"
                    + " path): set MCP_BACKEND_BASE_URL to the Workspace API");
        }
        return sandbox.get();
    }
}
