package dev.switchboard.it;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The packaged gateway (target/quarkus-app) run as its own process, as an operator would run it. */
final class GatewayProcess implements AutoCloseable {

    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    /** The secret every test replica names keys with (MCP_KEY_HASH_SECRET), so that they share a Redis as replicas do. */
    static final String KEY_HASH_SECRET = "it-key-hash-secret-0123456789abcdef0123";
    static final Path LOGS = Path.of("target/it-logs");

    final int port;
    final Process process;
    final Path log;

    private GatewayProcess(int port, Process process, Path log) {
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts the gateway with these environment variables on a free loopback port and waits until it is ready. */
    static GatewayProcess start(String name, Map<String, String> environment) throws IOException, InterruptedException {
        int port = freePort();
        Map<String, String> env = new HashMap<>(environment);
        env.putIfAbsent("MCP_PORT", String.valueOf(port));
        env.putIfAbsent("MCP_SESSION_FILE", "");
        Process process = launch(name, env, List.of());
        Path log = LOGS.resolve(name + ".log");
        GatewayProcess gateway = new GatewayProcess(Integer.parseInt(env.get("MCP_PORT")), process, log);
        gateway.awaitReady();
        return gateway;
    }

    static Process launch(String name, Map<String, String> environment, List<String> extraArguments) throws IOException {
        Files.createDirectories(LOGS);
        List<String> command = new ArrayList<>(command());
        command.addAll(extraArguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(LOGS.resolve(name + ".log").toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("MCP_") || key.equals("REDIS_URL")
                || key.equals("ALLOW_REMOTE_CLIENT"));
        builder.environment().put("MCP_KEY_HASH_SECRET", KEY_HASH_SECRET);
        builder.environment().putAll(environment);
        return builder.start();
    }

    /**
     * The command line of a test replica: the packaged jar, with a small heap and the client compiler only. A test
     * replica serves a few hundred calls and then stops: the optimizing compiler would spend more CPU than it saves,
     * and halves a start's CPU without it (about 2.0 s instead of 2.9 s to ready here), which matters when two test
     * JVMs start replicas side by side on two cores. Behaviour is the same; the benchmark runs the image's options.
     */
    static List<String> command() {
        return List.of(javaBinary(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString());
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitReady() throws InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the gateway did not become ready; see " + log);
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    /** Waits until the process has written {@code text} to its log. */
    void awaitOutput(String text) {
        dev.switchboard.support.GenerousWaits.until("\"" + text + "\" in " + log, () -> {
            try {
                return output().contains(text);
            } catch (IOException e) {
                return false;
            }
        }, () -> "");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static File logFile(String name) {
        return LOGS.resolve(name + ".log").toFile();
    }
}
