package dev.switchboard.workspace;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import dev.switchboard.config.GatewayConfig;
import io.quarkus.vertx.http.HttpServer;

/**
 * Where the Workspace API is: the configured backend, or the embedded sandbox reached over loopback HTTP exactly as
 * a remote backend would be.
 */
@ApplicationScoped
public class BackendEndpoint {

    static final String SANDBOX_ROOT = dev.switchboard.config.Endpoints.SANDBOX;

    private final GatewayConfig config;
    private final Instance<HttpServer> server;

    BackendEndpoint(GatewayConfig config, Instance<HttpServer> server) {
        this.config = config;
        this.server = server;
    }

    public boolean embeddedSandbox() {
        return config.backendBaseUrl().isEmpty();
    }

    /** The configured backend, or this process's own sandbox on the port it actually bound (a random one in tests). */
    public URI baseUri() {
        return config.backendBaseUrl().orElseGet(
                () -> URI.create("http://" + loopbackOf(config.host()) + ":" + server.get().getPort() + SANDBOX_ROOT));
    }

    /** The address this process can reach itself on, given the interface it binds. */
    private static String loopbackOf(String host) {
        return switch (host) {
            case "0.0.0.0", "::", "[::]", "localhost", "127.0.0.1" -> "127.0.0.1";
            case "::1", "[::1]" -> "[::1]";
            default -> host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        };
    }
}
