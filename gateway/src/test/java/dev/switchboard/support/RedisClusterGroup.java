package dev.switchboard.support;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster of the test's own: three masters, each with one replica, six {@link RedisServer} processes on
 * free loopback ports with {@code --cluster-enabled yes} and no persistence. The test forms it itself (CLUSTER MEET,
 * ADDSLOTS, REPLICATE: no redis-cli needed), the slots split evenly over the masters, and waits for
 * {@code cluster_state:ok} on every node.
 */
public final class RedisClusterGroup implements AutoCloseable {

    private static final int SLOTS = 16384;
    /** Long enough that a master restarted at once is back before its replica would take over. */
    private static final String NODE_TIMEOUT_MILLIS = "5000";

    private final List<RedisServer> nodes = new ArrayList<>();

    private RedisClusterGroup() {
    }

    public static RedisClusterGroup start() {
        RedisClusterGroup cluster = new RedisClusterGroup();
        try {
            for (int i = 0; i < 6; i++) {
                cluster.nodes.add(RedisServer.start(List.of("--cluster-enabled", "yes", "--cluster-node-timeout",
                        NODE_TIMEOUT_MILLIS, "--cluster-config-file", "nodes.conf")));
            }
            int first = cluster.nodes.get(0).port();
            for (RedisServer node : cluster.nodes.subList(1, 6)) {
                Resp.command(node.port(), "CLUSTER", "MEET", "127.0.0.1", String.valueOf(first));
            }
            for (int m = 0; m < 3; m++) {
                int from = m * SLOTS / 3;
                int to = (m + 1) * SLOTS / 3;
                List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
                for (int slot = from; slot < to; slot++) {
                    command.add(String.valueOf(slot));
                }
                Resp.command(cluster.nodes.get(m).port(), command.toArray(String[]::new));
            }
            cluster.await("every node knows the six", () -> cluster.nodes.stream()
                    .allMatch(node -> String.valueOf(Resp.command(node.port(), "CLUSTER", "NODES")).lines().count() == 6));
            for (int r = 0; r < 3; r++) {
                String master = String.valueOf(Resp.command(cluster.nodes.get(r).port(), "CLUSTER", "MYID"));
                int replica = cluster.nodes.get(r + 3).port();
                Resp.command(replica, "CLUSTER", "REPLICATE", master);
            }
            cluster.awaitHealthy();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** REDIS_URL for a Cluster client: every node, comma-separated. */
    public String urls() {
        return nodes.stream().map(RedisServer::url).collect(Collectors.joining(","));
    }

    /** The hash slot of a key, as the cluster computes it. */
    public int slot(String key) {
        return ((Long) Resp.command(nodes.get(0).port(), "CLUSTER", "KEYSLOT", key)).intValue();
    }

    /** The port of the master serving a slot now. */
    public int masterOf(int slot) {
        return owners(slot).get(0);
    }

    /** The port of a replica of the master serving a slot now. */
    public int replicaOf(int slot) {
        // a replica shows in CLUSTER SHARDS/SLOTS only once the cluster has agreed on it: wait for that
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(1).toNanos();
        List<Integer> owners = owners(slot);
        while (owners.size() < 2 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            owners = owners(slot);
        }
        if (owners.size() < 2) {
            throw new IllegalStateException("slot " + slot + " has no replica: " + owners);
        }
        return owners.get(1);
    }

    public RedisServer node(int port) {
        return nodes.stream().filter(n -> n.port() == port).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node on port " + port));
    }

    /**
     * {@code CLUSTER FAILOVER} on the replica of the slot's master: the replica takes over the master's slots, the old
     * master becomes its replica. Returns once the whole cluster agrees and is healthy.
     */
    public int failover(int slot) {
        int replica = replicaOf(slot);
        int master = masterOf(slot);
        Resp.command(replica, "CLUSTER", "FAILOVER");
        await("the replica on " + replica + " serves slot " + slot, () -> nodes.stream()
                .allMatch(node -> ownersAccordingTo(node.port(), slot).get(0) == replica));
        await("the old master on " + master + " replicates from the new one",
                () -> "up".equals(Resp.info(master, "replication", "master_link_status")));
        awaitHealthy();
        return replica;
    }

    /**
     * The master of a slot crashes (SIGKILL) and restarts at once with nothing: no persistence, as Redis is often
     * run. It keeps its identity and slots (nodes.conf), so it is master again, empty, and its replica resyncs from
     * it, empty too. Returns once the cluster is healthy again.
     */
    public int restartEmpty(int slot) {
        int master = masterOf(slot);
        RedisServer server = node(master);
        server.kill();
        server.restart();
        await("the restarted node on " + master + " serves slot " + slot + " again", () -> nodes.stream()
                .allMatch(node -> ownersAccordingTo(node.port(), slot).get(0) == master));
        awaitHealthy();
        await("the restarted master's replica resynced", () -> {
            int replica = replicaOf(slot);
            return "up".equals(Resp.info(replica, "replication", "master_link_status"))
                    && !"1".equals(Resp.info(replica, "replication", "master_sync_in_progress"));
        });
        return master;
    }

    /** Whether a key exists on the master that serves its slot (asked directly, not through the cluster client). */
    public boolean exists(String key) {
        return ((Long) Resp.command(masterOf(slot(key)), "EXISTS", key)) == 1L;
    }

    /** Every node says cluster_state:ok, and every replica is in sync with its master. */
    public void awaitHealthy() {
        await("cluster_state:ok on every node", () -> nodes.stream()
                .allMatch(node -> String.valueOf(Resp.command(node.port(), "CLUSTER", "INFO")).contains("cluster_state:ok")));
        await("every replica is in sync", () -> nodes.stream().allMatch(node -> !"slave".equals(Resp.info(node.port(),
                "replication", "role")) || "up".equals(Resp.info(node.port(), "replication", "master_link_status"))));
    }

    private List<Integer> owners(int slot) {
        return ownersAccordingTo(nodes.get(0).port(), slot);
    }

    /** The ports serving a slot, master first, as one node sees it (CLUSTER SLOTS). */
    @SuppressWarnings("unchecked")
    private static List<Integer> ownersAccordingTo(int port, int slot) {
        List<Object> ranges = (List<Object>) Resp.command(port, "CLUSTER", "SLOTS");
        for (Object range : ranges) {
            List<Object> entry = (List<Object>) range;
            long from = (Long) entry.get(0);
            long to = (Long) entry.get(1);
            if (slot >= from && slot <= to) {
                List<Integer> owners = new ArrayList<>();
                for (Object node : entry.subList(2, entry.size())) {
                    owners.add(((Long) ((List<Object>) node).get(1)).intValue());
                }
                return owners;
            }
        }
        return List.of(-1);
    }

    private void await(String what, BooleanSupplier condition) {
        GenerousWaits.until("Redis Cluster: " + what, condition, () -> "");
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }
}
