import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** The processes the harness starts: each on a free loopback port, each stopped by its own PID at the end. */
final class Procs {

    static final List<Proc> STARTED = new CopyOnWriteArrayList<>();
    static Path pidFile;
    static Path logs;

    /** One started process, its port and log, and what /proc says about it. */
    static final class Proc {
        final String name;
        final Process process;
        final long pid;
        final int port;
        final Path log;

        Proc(String name, Process process, int port, Path log) {
            this.name = name;
            this.process = process;
            this.pid = process.pid();
            this.port = port;
            this.log = log;
        }

        /** utime + stime in clock ticks (1/100 s on Linux). */
        long cpuTicks() {
            return Procs.cpuTicks(pid);
        }

        long rssKb() {
            return status(pid, "VmRSS:");
        }

        boolean alive() {
            return process.isAlive();
        }

        void stop() {
            if (process.isAlive()) {
                process.destroy();
                try {
                    if (!process.waitFor(15, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                        process.waitFor(5, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
            STARTED.remove(this);
        }

        @Override
        public String toString() {
            return name + " (pid " + pid + ", port " + port + ")";
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts a command with these variables (MCP_*, REDIS_URL and QUARKUS_* of the caller removed), output to a log. */
    static Proc start(String name, List<String> command, Map<String, String> env, int port) throws IOException {
        Path log = logs.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("MCP_") || key.startsWith("QUARKUS_")
                || key.equals("REDIS_URL") || key.equals("ALLOW_REMOTE_CLIENT") || key.startsWith("SANDBOX_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        Proc proc = new Proc(name, process, port, log);
        STARTED.add(proc);
        if (pidFile != null) {
            Files.writeString(pidFile, proc.pid + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        return proc;
    }

    static void stopAll() {
        List<Proc> all = new ArrayList<>(STARTED);
        all.forEach(p -> p.process.destroy());
        all.forEach(Proc::stop);
    }

    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is the state (field 3); utime is field 14 and stime field 15
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The CPU ticks of the JVM's JIT compiler threads (named "C1/C2 CompilerThread…"), or -1 when unreadable. */
    static long compilerTicks(long pid) {
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            long ticks = 0;
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).startsWith("C")
                            && Files.readString(task.resolve("comm")).contains("Compiler")) {
                        String stat = Files.readString(task.resolve("stat"));
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    }
                } catch (IOException | RuntimeException gone) {
                    // a thread that ended meanwhile
                }
            }
            return ticks;
        } catch (IOException e) {
            return -1;
        }
    }

    static long status(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    /** Sum of the calls in INFO commandstats of a Redis server (without the INFO commands themselves). */
    static long redisCommands(int port) {
        return redisCommandStats(port).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Calls per command from INFO commandstats (without INFO itself); empty when Redis does not answer. */
    static java.util.Map<String, Long> redisCommandStats(int port) {
        java.util.Map<String, Long> stats = new java.util.TreeMap<>();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("INFO commandstats\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder header = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                header.append((char) c);
            }
            int length = Integer.parseInt(header.substring(1).trim());
            String text = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            for (String line : text.split("\r\n")) {
                if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info:")) {
                    int at = line.indexOf("calls=");
                    stats.put(line.substring(8, line.indexOf(':')), Long.parseLong(line.substring(at + 6, line.indexOf(',', at))));
                }
            }
            return stats;
        } catch (IOException | RuntimeException e) {
            return stats;
        }
    }

    static boolean redisPing(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = socket.getInputStream().readNBytes(7);
            return new String(answer, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }
}
