package dev.switchboard.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Debian's nginx as a plain round-robin load balancer in front of gateway replicas on loopback, started by a test on a
 * free port, with everything it writes (pid, logs, temp files) in a temporary directory of its own. The settings are
 * those an SSE-friendly proxy needs (HTTP/1.1 upstream, no buffering either way, long reads), and nothing is sticky.
 * <p>
 * {@link #upstreams(List)} rewrites the upstream list and reloads nginx, as an ingress controller does when a replica's
 * readiness turns DOWN or a new one turns UP. The access log names the replica of every request and the
 * {@code X-Test-Phase} header a test client sent, so that a test can see how requests were spread.
 */
public final class Nginx implements AutoCloseable {

    private static final List<Path> CANDIDATES = List.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/local/sbin/nginx"),
            Path.of("/usr/local/nginx/sbin/nginx"));

    private final Path binary;
    private final Path directory;
    private final int port;
    private Process process;

    private Nginx(Path binary, Path directory, int port) {
        this.binary = binary;
        this.directory = directory;
        this.port = port;
    }

    /** nginx from /usr/sbin (Debian) or PATH, if installed. */
    public static java.util.Optional<Path> binary() {
        for (Path candidate : CANDIDATES) {
            if (Files.isExecutable(candidate)) {
                return java.util.Optional.of(candidate);
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "nginx");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return java.util.Optional.of(candidate);
            }
        }
        return java.util.Optional.empty();
    }

    /** Starts nginx on a free loopback port in front of these loopback ports, and waits until it listens. */
    public static Nginx start(List<Integer> upstreamPorts) throws IOException {
        Path binary = binary().orElseThrow(() -> new IllegalStateException("nginx is not installed"));
        Path directory = Files.createTempDirectory("switchboard-nginx-");
        Nginx nginx = new Nginx(binary, directory, RedisServer.freePort());
        nginx.writeConfig(upstreamPorts);
        List<String> command = List.of(binary.toString(), "-p", directory.toString(), "-c", nginx.config().toString(), "-g",
                "daemon off;");
        nginx.process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("nginx.out").toFile()).start();
        nginx.awaitListening();
        return nginx;
    }

    public int port() {
        return port;
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    /** Points the load balancer at these ports and reloads it; returns once new worker processes run. */
    public synchronized void upstreams(List<Integer> upstreamPorts) throws IOException, InterruptedException {
        int reloadsBefore = count(errorLog(), "start worker process");
        writeConfig(upstreamPorts);
        Process reload = new ProcessBuilder(binary.toString(), "-p", directory.toString(), "-c", config().toString(), "-s",
                "reload").redirectErrorStream(true).redirectOutput(directory.resolve("reload.out").toFile()).start();
        if (!reload.waitFor(30, TimeUnit.SECONDS) || reload.exitValue() != 0) {
            throw new IllegalStateException("nginx -s reload failed: " + Files.readString(directory.resolve("reload.out")));
        }
        Instant deadline = Instant.now().plus(GenerousWaits.LIMIT);
        while (count(errorLog(), "start worker process") <= reloadsBefore) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("nginx did not start new workers after a reload:\n" + errorLog());
            }
            Thread.sleep(50);
        }
    }

    /** The requests of the access log: phase (X-Test-Phase), method, path, status and replica port, in order. */
    public List<Request> requests() throws IOException {
        Path log = directory.resolve("access.log");
        if (!Files.exists(log)) {
            return List.of();
        }
        List<Request> requests = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            String[] fields = line.split("\t");
            if (fields.length >= 7) {
                requests.add(new Request(fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6]));
            }
        }
        return requests;
    }

    /** How many requests of a phase each replica (by its upstream address) served. */
    public Map<String, Long> spread(String phase, String pathPrefix) throws IOException {
        return requests().stream().filter(r -> r.phase().equals(phase) && r.path().startsWith(pathPrefix))
                .collect(Collectors.groupingBy(Request::upstream, TreeMap::new, Collectors.counting()));
    }

    /**
     * One proxied request.
     *
     * @param upstream the replica's address (several, comma-separated, when nginx tried more than one)
     * @param endedAt when the request ended (seconds since the epoch, with milliseconds)
     * @param seconds how long it took
     */
    public record Request(String phase, String method, String path, String status, String upstream, String endedAt,
            String seconds) {
    }

    public String errorLog() throws IOException {
        Path log = directory.resolve("error.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** The access and error logs, for a failure message. */
    public String logs() {
        try {
            return "access.log:\n" + Files.readString(directory.resolve("access.log")) + "\nerror.log:\n" + errorLog();
        } catch (IOException e) {
            return "(no nginx logs: " + e.getMessage() + ")";
        }
    }

    /** Keeps the logs under target/it-logs (for whoever reads a failure) and stops nginx. */
    public void keepLogs(Path into) {
        try {
            Files.createDirectories(into.getParent());
            Files.writeString(into, logs(), StandardCharsets.UTF_8);
        } catch (IOException ignored) {
            // best effort: the logs only help reading a failure
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy(); // SIGTERM: nginx's fast shutdown, workers included
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // workers end with their master; make sure none stayed behind
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process = null;
        }
        try (var files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory
        }
    }

    private Path config() {
        return directory.resolve("nginx.conf");
    }

    private void writeConfig(List<Integer> upstreamPorts) throws IOException {
        String servers = upstreamPorts.stream().map(p -> "        server 127.0.0.1:" + p + ";")
                .collect(Collectors.joining("\n"));
        String d = directory.toString();
        String config = """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log notice;
                events { worker_connections 1024; }
                http {
                    log_format phases "$http_x_test_phase\\t$request_method\\t$uri\\t$status\\t$upstream_addr\\t$msec\\t$request_time";
                    access_log %1$s/access.log phases;
                    client_body_temp_path %1$s/client-body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    upstream gateways {
                %2$s
                    }
                    server {
                        listen 127.0.0.1:%3$d;
                        client_max_body_size 8m;
                        location / {
                            proxy_pass http://gateways;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_set_header Host $http_host;
                            proxy_buffering off;
                            proxy_cache off;
                            proxy_request_buffering off;
                            proxy_read_timeout 1h;
                            proxy_send_timeout 1h;
                            proxy_connect_timeout 5s;
                            proxy_next_upstream error timeout;
                            proxy_next_upstream_tries 3;
                        }
                    }
                }
                """.formatted(d, servers, port);
        Files.writeString(config(), config, StandardCharsets.UTF_8);
    }

    private void awaitListening() throws IOException {
        Instant deadline = Instant.now().plus(GenerousWaits.LIMIT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited at start: "
                        + Files.readString(directory.resolve("nginx.out")) + "\n" + errorLog());
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        throw new IllegalStateException("nginx did not listen on port " + port + " within a minute");
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }
}
