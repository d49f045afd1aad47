package dev.switchboard.workspace;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.switchboard.config.GatewayConfig;
import io.quarkus.runtime.LaunchMode;
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

    void onHttpServerStart(@ObservesAsync HttpServerStart started) {
        boundPort = started.options().getPort();
    }

    public boolean embeddedSandbox() {
        return config.backendBaseUrl().isEmpty();
    }

    public URI baseUri() {
        return config.backendBaseUrl().orElseGet(() -> {
            int port = boundPort > 0 ? boundPort : configuredPort();
            return URI.create("http://" + loopbackOf(config.host()) + ":" + port + SANDBOX_ROOT);
        });
    }

    /** The port before the server-start event arrived (it is delivered asynchronously). */
    private int configuredPort() {
        if (LaunchMode.current() == LaunchMode.TEST) {
            return ConfigProvider.getConfig().getOptionalValue("quarkus.http.test-port", Integer.class).orElse(8081);
        }
        return config.port();
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
