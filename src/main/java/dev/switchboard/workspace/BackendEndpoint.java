package dev.switchboard.workspace;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.switchboard.config.GatewayConfig;
import io.quarkus.vertx.http.HttpServerStart;

/**
 * Where the Workspace API is: the configured backend, or the embedded sandbox reached over loopback HTTP exactly as
 * a remote backend would be.
 */
@ApplicationScoped
public class BackendEndpoint {

    public static final String SANDBOX_ROOT = "/sandbox";

    private final GatewayConfig config;
    private volatile int boundPort;

    BackendEndpoint(GatewayConfig config) {
        this.config = config;
    }

    void onHttpServerStart(@Observes HttpServerStart started) {
        boundPort = started.options().getPort();
    }

    public boolean embeddedSandbox() {
        return config.backendBaseUrl().isEmpty();
    }

    public URI baseUri() {
        return config.backendBaseUrl().orElseGet(() -> {
            int port = boundPort > 0 ? boundPort : config.port();
            return URI.create("http://" + loopbackOf(config.host()) + ":" + port + SANDBOX_ROOT);
        });
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
