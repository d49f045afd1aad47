package dev.switchboard.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis server of the test's own, on a free loopback port, that the test may stop, kill and start again. Never the
 * machine's Redis: tests must not touch data they did not create. Uses {@code redis-server} from PATH when there is one,
 * otherwise the Linux x64 binary packaged in the com.github.codemonstur:embedded-redis test dependency, so that the
 * test command needs nothing beyond a JDK and Node.
 */
public final class RedisServer implements AutoCloseable {

    private static final String PACKAGED_BINARY = "redis-server-6.2.6-v5-linux-amd64";
    private static volatile Path binary;

    private final int port;
    private final List<String> extraArguments;
    private final Path directory;
    private Process process;

    private RedisServer(int port, List<String> extraArguments) {
        this.port = port;
        this.extraArguments = List.copyOf(extraArguments);
        try {
            this.directory = Files.createTempDirectory("switchboard-redis-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A started server on a free port, keeping nothing on disk. */
    public static RedisServer start() {
        return start(List.of());
    }

    /** A started server on a free port with extra redis-server arguments (for example {@code --appendonly yes}). */
    public static RedisServer start(List<String> extraArguments) {
        RedisServer server = new RedisServer(freePort(), extraArguments);
        server.restart();
        return server;
    }

    /** A server on a given port, not yet started (for Sentinel and Cluster set-ups that need ports ahead). */
    public static RedisServer onPort(int port, List<String> extraArguments) {
        return new RedisServer(port, extraArguments);
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public Path directory() {
        return directory;
    }

    /** Starts the server again (after {@link #stop()} or {@link #kill()}), with whatever its directory holds. */
    public synchronized RedisServer restart() {
        if (process != null && process.isAlive()) {
            return this;
        }
        List<String> command = new ArrayList<>(List.of(binary().toString(), "--port", String.valueOf(port), "--bind",
                "127.0.0.1", "--dir", directory.toString(), "--save", "", "--protected-mode", "no"));
        if (extraArguments.stream().noneMatch(a -> a.equals("--appendonly"))) {
            command.addAll(List.of("--appendonly", "no"));
        }
        command.addAll(extraArguments);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("redis-server could not be started", e);
        }
        awaitListening();
        return this;
    }

    /** SIGTERM, as an orchestrator stops it. */
    public synchronized void stop() {
        end(false);
    }

    /** SIGSTOP: the process stays, holds its connections and answers nothing, as a Redis stuck in a long command. */
    public synchronized void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public synchronized void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
            if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL: the process dies at once, as in a crash or an OOM kill. */
    public synchronized void kill() {
        end(true);
    }

    @Override
    public void close() {
        stop();
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; nothing else depends on it
        }
    }

    private void end(boolean forcibly) {
        if (process == null) {
            return;
        }
        if (forcibly) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private void awaitListening() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited at start; see " + directory.resolve("redis.log"));
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                sleep(50);
            }
        }
        throw new IllegalStateException("redis-server did not listen on port " + port + " within a minute");
    }

    /** redis-server from PATH, or the packaged one extracted once per test JVM. */
    static synchronized Path binary() {
        if (binary != null) {
            return binary;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                binary = candidate;
                return binary;
            }
        }
        try (InputStream packaged = RedisServer.class.getClassLoader().getResourceAsStream(PACKAGED_BINARY)) {
            if (packaged == null) {
                throw new IllegalStateException("no redis-server on PATH and no " + PACKAGED_BINARY + " on the test classpath");
            }
            Path extracted = Files.createTempFile("redis-server-", "");
            Files.copy(packaged, extracted, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(extracted, PosixFilePermissions.fromString("rwx------"));
            extracted.toFile().deleteOnExit();
            binary = extracted;
            return binary;
        } catch (IOException e) {
            throw new IllegalStateException("the packaged redis-server could not be extracted", e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
