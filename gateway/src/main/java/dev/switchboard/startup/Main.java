package dev.switchboard.startup;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

import dev.switchboard.config.ConfigPreflight;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point: rejects unusable settings with one clear line per problem, then starts Quarkus.
 */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        List<String> problems = ConfigPreflight.problems();
        if (!problems.isEmpty()) {
            problems.forEach(problem -> System.err.println("switchboard: " + problem));
            System.exit(2);
        }
        if (stdioTransport() && System.getenv("MCP_PORT") == null && System.getProperty("mcp.port") == null) {
            // Each stdio client starts its own process; a free loopback port keeps them from colliding.
            System.setProperty("mcp.port", String.valueOf(freeLoopbackPort()));
        }
        Quarkus.run(args);
    }

    private static boolean stdioTransport() {
        String transport = System.getProperty("mcp.transport", System.getenv("MCP_TRANSPORT"));
        return transport != null && transport.trim().equalsIgnoreCase("stdio");
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port for the stdio bridge", e);
        }
    }
}
