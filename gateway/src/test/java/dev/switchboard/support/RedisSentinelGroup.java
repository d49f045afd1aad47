package dev.switchboard.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * A real Redis Sentinel group of the test's own, on free loopback ports: a master, a replica and three sentinels that
 * monitor the master under {@link #MASTER_NAME} (quorum 2), all from the same redis-server binary as
 * {@link RedisServer}. Failovers are quick (the master is deemed down after a second).
 */
public final class RedisSentinelGroup implements AutoCloseable {

    public static final String MASTER_NAME = "switchboard";

    private final List<RedisServer> servers = new ArrayList<>();
    private final List<Process> sentinels = new ArrayList<>();
    private final List<Integer> sentinelPorts = new ArrayList<>();
    private final Path directory;

    private RedisSentinelGroup(Path directory) {
        this.directory = directory;
    }

    /** Starts the master, its replica (in sync) and three sentinels that agree on the master and know the replica. */
    public static RedisSentinelGroup start() throws IOException {
        RedisSentinelGroup group = new RedisSentinelGroup(Files.createTempDirectory("switchboard-sentinel-"));
        try {
            RedisServer master = RedisServer.start();
            group.servers.add(master);
            RedisServer replica = RedisServer.start(List.of("--replicaof", "127.0.0.1", String.valueOf(master.port())));
            group.servers.add(replica);
            group.await("the replica syncs with the master",
                    () -> "up".equals(Resp.info(replica.port(), "replication", "master_link_status")));
            for (int i = 0; i < 3; i++) {
                group.startSentinel(i, master.port());
            }
            group.await("the sentinels see the master, the replica and each other", () -> group.sentinelPorts.stream()
                    .allMatch(port -> sentinelView(port, "num-slaves").equals("1") && sentinelView(port, "num-other-sentinels").equals("2")));
            return group;
        } catch (RuntimeException | IOException e) {
            group.close();
            throw e;
        }
    }

    /** REDIS_URL for a Sentinel client: every sentinel, comma-separated. */
    public String sentinelUrls() {
        return sentinelPorts.stream().map(port -> "redis://127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    /** The port of the current master, as the sentinels announce it. */
    public int masterPort() {
        @SuppressWarnings("unchecked")
        List<Object> address = (List<Object>) Resp.command(sentinelPorts.get(0), "SENTINEL", "get-master-addr-by-name",
                MASTER_NAME);
        return Integer.parseInt(String.valueOf(address.get(1)));
    }

    /** The server that is not the current master. */
    public RedisServer replica() {
        int master = masterPort();
        return servers.stream().filter(s -> s.port() != master).findFirst().orElseThrow();
    }

    public RedisServer server(int port) {
        return servers.stream().filter(s -> s.port() == port).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no server on port " + port));
    }

    /**
     * {@code SENTINEL FAILOVER}: the replica is promoted. Returns once every sentinel names the new master and it
     * answers as a master; the old master still takes writes until the sentinels turn it into a replica (on their next
     * look at it, up to ten seconds later): see {@link #awaitReplicating(int)}.
     */
    public int failover() {
        int old = masterPort();
        Resp.command(sentinelPorts.get(0), "SENTINEL", "FAILOVER", MASTER_NAME);
        return awaitNewMaster(old);
    }

    /** Waits until a former master replicates from the current one (and so dropped whatever was written to it). */
    public void awaitReplicating(int formerMaster) {
        await("the former master on " + formerMaster + " replicates from the new one",
                () -> "slave".equals(Resp.info(formerMaster, "replication", "role"))
                        && "up".equals(Resp.info(formerMaster, "replication", "master_link_status")));
    }

    /**
     * The master crashes (SIGKILL): the sentinels agree that it is down and promote the replica. Returns the new
     * master's port once every sentinel names it and it answers as a master; the old master stays down.
     */
    public int killMaster() {
        int old = masterPort();
        server(old).kill();
        return awaitNewMaster(old);
    }

    private int awaitNewMaster(int old) {
        await("every sentinel names a new master", () -> sentinelPorts.stream().allMatch(port -> {
            @SuppressWarnings("unchecked")
            List<Object> address = (List<Object>) Resp.command(port, "SENTINEL", "get-master-addr-by-name", MASTER_NAME);
            return Integer.parseInt(String.valueOf(address.get(1))) != old;
        }));
        int promoted = masterPort();
        await("the new master answers as a master", () -> "master".equals(Resp.info(promoted, "replication", "role")));
        return promoted;
    }

    private void startSentinel(int index, int masterPort) throws IOException {
        int port = RedisServer.freePort();
        Path config = directory.resolve("sentinel-" + index + ".conf");
        Files.writeString(config, String.join("\n",
                "port " + port,
                "bind 127.0.0.1",
                "protected-mode no",
                "dir " + directory,
                "sentinel resolve-hostnames no",
                "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + masterPort + " 2",
                "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                "sentinel failover-timeout " + MASTER_NAME + " 10000",
                "sentinel parallel-syncs " + MASTER_NAME + " 1",
                ""), StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(RedisServer.binary().toString(), config.toString(), "--sentinel")
                .redirectErrorStream(true).redirectOutput(directory.resolve("sentinel-" + index + ".log").toFile()).start();
        sentinels.add(process);
        sentinelPorts.add(port);
        await("sentinel " + index + " answers", () -> process.isAlive() && Resp.answers(port));
    }

    private static String sentinelView(int port, String field) {
        @SuppressWarnings("unchecked")
        List<Object> flat = (List<Object>) Resp.command(port, "SENTINEL", "MASTER", MASTER_NAME);
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            if (field.equals(flat.get(i))) {
                return String.valueOf(flat.get(i + 1));
            }
        }
        return "";
    }

    /** The sentinels' logs, for a failure message. */
    public String logs() {
        StringBuilder logs = new StringBuilder();
        for (int i = 0; i < sentinels.size(); i++) {
            try {
                logs.append("sentinel ").append(i).append(":\n")
                        .append(Files.readString(directory.resolve("sentinel-" + i + ".log"))).append('\n');
            } catch (IOException e) {
                logs.append("(no log: ").append(e.getMessage()).append(")\n");
            }
        }
        return logs.toString();
    }

    private void await(String what, BooleanSupplier condition) {
        GenerousWaits.until("Redis Sentinel: " + what, condition, () -> "\n" + logs());
    }

    @Override
    public void close() {
        for (Process sentinel : sentinels) {
            sentinel.destroy();
        }
        for (Process sentinel : sentinels) {
            try {
                if (!sentinel.waitFor(20, TimeUnit.SECONDS)) {
                    sentinel.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        servers.forEach(RedisServer::close);
        try (var files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory
        }
    }
}
