package dev.switchboard.catalog;

import java.util.List;

import io.vertx.ext.web.Router;

/**
 * The seam between the gateway and the embedded sandbox, which implements the built-in contract with demo data. The
 * gateway compiles without the sandbox (the sandbox module is a run-time dependency of it): start-up finds the
 * implementation as a bean, mounts it when no backend is configured, and shows what the banner needs; tool calls reach
 * the sandbox over HTTP only.
 */
public interface EmbeddedSandbox {

    /**
     * The sandbox's service credential: the gateway calls it with this and X-Acting-User for the users it authenticated
     * by OAuth (MCP_SERVICE_AUTHORIZATION stands for it with a real backend).
     */
    String SERVICE_CREDENTIAL = "sbx_service";

    /** Serves the Workspace API under {@code /sandbox} and its control endpoint under {@code /sandbox/_control}. */
    void mount(Router router);

    /** The header that carries the control token. */
    String controlTokenHeader();

    /** The control endpoint's token: SANDBOX_CONTROL_TOKEN when set, otherwise a random one chosen at start. */
    String controlToken();

    /** True when the control token was generated at start (SANDBOX_CONTROL_TOKEN unset). */
    boolean controlTokenGenerated();

    /** The demo API keys, for the start-up banner. */
    List<DemoKey> demoKeys();

    /** One demo key: the key, its kind, what it reaches. */
    record DemoKey(String key, String kind, String access) {
    }
}
