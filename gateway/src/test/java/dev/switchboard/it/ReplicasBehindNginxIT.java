package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.switchboard.support.Nginx;
import dev.switchboard.support.NodeScript;
import dev.switchboard.support.Processes;
import dev.switchboard.support.RedisServer;

/**
 * Three gateway replicas sharing one Redis and one standalone sandbox, behind a round-robin nginx, as a platform team
 * runs them: nothing sticky. The official TypeScript SDK client (src/test/node/replicas.mjs), over Streamable HTTP and
 * over legacy SSE, initializes, lists tools, switches organization, makes twenty calls that the balancer spreads over
 * every replica (all must act on the switched organization), follows a long job with progress, cancels one (the
 * cancellation may reach another replica than the one following the job: the backend job must end up cancelled), and
 * then the replica following a job gets SIGTERM: readiness turns 503 while it drains, its call completes or answers
 * "shutting down, call again with the same idempotencyKey", the process exits within its drain time, and the client's
 * next calls succeed on the other replicas.
 * <p>
 * When the drained replica reports not ready, the test takes it out of nginx (a reload), as the endpoints controller
 * and ingress of a cluster do, then starts a replacement on the same port (a rolling update) for the next transport.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasBehindNginxIT {

    /** The drain of each replica; its upstream requests time out 2 s earlier, as start-up requires. */
    private static final int DRAIN_SECONDS = 6;
    /** quarkus.shutdown.delay, during which readiness is already DOWN. */
    private static final int SHUTDOWN_DELAY_SECONDS = 1;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Starting processes and reacting to the script block: threads of their own, whatever the machine's core count. */
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "replicas-it");
        thread.setDaemon(true);
        return thread;
    });

    @RegisterExtension
    static final Processes processes = new Processes();

    private static RedisServer redis;
    private static GatewayProcess sandbox;
    private static final GatewayProcess[] replicas = new GatewayProcess[3];
    private static final int[] ports = new int[3];
    private static Nginx nginx;
    private static Map<String, String> replicaEnvironment;
    private static volatile CompletableFuture<Void> replacement = CompletableFuture.completedFuture(null);

    @BeforeAll
    static void start() throws Exception {
        boolean installed = Nginx.binary().isPresent();
        if (!installed && System.getenv("CI") != null) {
            fail("nginx is not installed, and CI is set: install Debian's nginx (apt-get install nginx-light; .ci/run does)");
        }
        assumeTrue(installed, "nginx is not installed (Debian: apt-get install nginx-light): the test of three replicas "
                + "behind a load balancer is skipped; with CI set it fails instead");
        redis = processes.add(RedisServer.start());
        int sandboxPort = GatewayProcess.freePort();
        replicaEnvironment = Map.of("MCP_BACKEND_BASE_URL", "http://127.0.0.1:" + sandboxPort + "/sandbox", "REDIS_URL",
                redis.url(), "MCP_RATE_LIMIT_PER_MINUTE", "0", "MCP_SHUTDOWN_DRAIN_SECONDS", String.valueOf(DRAIN_SECONDS),
                // the drain covers the request timeout (checked at start-up)
                "MCP_REQUEST_TIMEOUT_SECONDS", String.valueOf(DRAIN_SECONDS - 2), "MCP_JOB_POLL_MILLIS", "200");
        List<CompletableFuture<GatewayProcess>> starting = new ArrayList<>();
        starting.add(startAsync("replicas-nginx-sandbox", Map.of("MCP_SANDBOX_ONLY", "true", "SANDBOX_JOB_STEP_MILLIS", "1200",
                "MCP_PORT", String.valueOf(sandboxPort))));
        for (int i = 0; i < 3; i++) {
            ports[i] = GatewayProcess.freePort();
            starting.add(startAsync("replicas-nginx-gateway-" + (i + 1), replica(i)));
        }
        // keep whatever started, so that it is stopped even when another one failed (in parallel, after the test)
        CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).handle((ignored, failure) -> null).join();
        sandbox = starting.get(0).getNow(null);
        for (int i = 0; i < 3; i++) {
            replicas[i] = starting.get(i + 1).getNow(null);
        }
        List<AutoCloseable> gateways = new ArrayList<>();
        gateways.add(sandbox);
        for (int i = 0; i < 3; i++) {
            int index = i;
            gateways.add(() -> { // the replica in this place when the class ends: a replacement after a rolling update
                if (replicas[index] != null) {
                    replicas[index].close();
                }
            });
        }
        processes.addAll(gateways);
        for (CompletableFuture<GatewayProcess> started : starting) {
            started.join(); // throws the first start-up failure
        }
        nginx = Nginx.start(List.of(ports[0], ports[1], ports[2]));
        processes.add((AutoCloseable) () -> {
            nginx.keepLogs(GatewayProcess.LOGS.resolve("replicas-nginx.log"));
            nginx.close();
        });
        // stopped first: a replacement still starting (a rolling update), stopped with the others once it runs
        processes.add((AutoCloseable) () -> replacement.handle((ignored, failure) -> null).get(90, TimeUnit.SECONDS));
    }

    @Test
    @Order(1)
    void streamableHttpThroughTheBalancer() throws Exception {
        run("streamable-http", "sbx_alice", "/mcp", true);
    }

    @Test
    @Order(2)
    void legacySseThroughTheBalancer() throws Exception {
        run("sse", "sbx_agency", "/mcp/messages/", false);
    }

    /**
     * A legacy SSE message URL names the replica holding the stream. When that replica is gone (it exited in a rolling
     * update, as above), a message posted with the old URL reaches a replica that cannot deliver it: the client must be
     * told (as for any unknown session: 404, initialize again), never answered 202 Accepted for a request that nobody
     * will ever answer. The replica id here is one no replica has, as after that replica exited.
     */
    @Test
    @Order(3)
    void aLegacyMessageForAStreamOfAGoneReplicaIsRefusedNotLost() throws Exception {
        String endpoint = nginx.base() + "/mcp/messages/c3RyZWFtLW9mLWEtZ29uZS1yZXBsaWNh?replica=gone0replica&stream="
                + java.util.UUID.randomUUID();
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint))
                .header("Content-Type", "application/json").header("Authorization", "Bearer sbx_alice")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\","
                        + "\"params\":{\"name\":\"organizations_current\",\"arguments\":{}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("a message for a stream no replica holds was answered %d %s", answer.statusCode(),
                answer.body()).isEqualTo(404);
        assertThat(answer.body()).contains("Unknown MCP session");
    }

    /** What happened to the replica that got SIGTERM. */
    private static final class Drained {
        volatile int index = -1;
        volatile boolean notReadyWhileAlive;
        volatile String readiness = "never asked";
        volatile long exitMillis = -1;
        volatile String problem;
    }

    private void run(String kind, String key, String messagePath, boolean replaceAfterDrain) throws Exception {
        replacement.get(120, TimeUnit.SECONDS); // the previous transport's replica is replaced and back in the balancer
        Drained drained = new Drained();
        List<CompletableFuture<Void>> reactions = new ArrayList<>();
        NodeScript script = NodeScript.start("replicas-" + kind, List.of("replicas.mjs", nginx.base(), kind),
                Map.of("E2E_API_KEY", key, "SANDBOX_BASE", sandbox.base()), (node, line) -> {
                    if (line.equals("@@ job-running")) {
                        reactions.add(CompletableFuture.runAsync(() -> drain(node, drained, replaceAfterDrain), THREADS));
                    }
                });
        String output;
        try {
            output = script.await(170);
        } finally {
            script.close();
        }
        for (CompletableFuture<Void> reaction : reactions) {
            reaction.get(90, TimeUnit.SECONDS);
        }
        String where = " (script output in target/node-e2e/replicas-" + kind + ".log, replica logs in " + GatewayProcess.LOGS
                + ", nginx log in " + GatewayProcess.LOGS.resolve("replicas-nginx.log") + ")";
        nginx.keepLogs(GatewayProcess.LOGS.resolve("replicas-nginx.log"));

        System.out.printf("ReplicasBehindNginxIT %s: drained replica %d, readiness while draining: %s, exited after %d ms%s%n",
                kind, drained.index + 1, drained.readiness, drained.exitMillis,
                drained.problem == null ? "" : ", problem: " + drained.problem);

        String failures = NodeScript.failures(output);
        assertThat(failures).as("the SDK client's failed checks%s:%n%s", where, output).isEmpty();
        assertThat(output).as("the script ran its checks" + where).contains("ok - ").contains(" 0 failed");
        assertThat(script.exitValue()).as("the script's exit code" + where).isZero();

        Map<String, Long> spread = nginx.spread(kind + ":spread", messagePath);
        assertThat(spread).as("the balancer spread the twenty calls over the three replicas: %s%s", spread, where).hasSize(3);

        assertThat(drained.problem).as("draining a replica" + where).isNull();
        assertThat(drained.index).as("a replica was following the job when the script said so" + where).isNotNegative();
        assertThat(drained.notReadyWhileAlive)
                .as("/q/health/ready of the replica sent SIGTERM answered 503 while it drained (last answer: %s)%s",
                        drained.readiness, where)
                .isTrue();
        assertThat(drained.exitMillis).as("the drained replica exited within its drain time (%d s, plus %d s of delay), "
                + "not killed%s", DRAIN_SECONDS, SHUTDOWN_DELAY_SECONDS, where).isBetween(0L,
                        (DRAIN_SECONDS + SHUTDOWN_DELAY_SECONDS + 10) * 1000L);
    }

    /** SIGTERM to the replica following the job, as Kubernetes stops a pod; then a replacement, as a rolling update. */
    private void drain(NodeScript node, Drained drained, boolean replace) {
        try {
            int victim = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (victim < 0 && System.nanoTime() < deadline) {
                for (int i = 0; i < 3; i++) {
                    if (replicas[i].process.isAlive() && runningJobs(replicas[i]) >= 1) {
                        victim = i;
                    }
                }
                if (victim < 0) {
                    Thread.sleep(50);
                }
            }
            if (victim < 0) {
                drained.problem = "no replica reported a running job (switchboard_jobs_running)";
                node.send("@@ continue");
                return;
            }
            drained.index = victim;
            GatewayProcess process = replicas[victim];
            long signalled = System.nanoTime();
            process.process.destroy(); // SIGTERM
            while (process.process.isAlive() && !drained.notReadyWhileAlive
                    && System.nanoTime() - signalled < TimeUnit.SECONDS.toNanos(DRAIN_SECONDS + SHUTDOWN_DELAY_SECONDS + 10)) {
                drained.readiness = readiness(process);
                drained.notReadyWhileAlive = drained.readiness.startsWith("503") && process.process.isAlive();
                Thread.sleep(20);
            }
            // the balancer follows readiness, as an ingress follows the endpoints of ready pods
            List<Integer> others = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                if (i != victim) {
                    others.add(ports[i]);
                }
            }
            nginx.upstreams(others);
            node.send("@@ continue");
            if (process.process.waitFor(DRAIN_SECONDS + SHUTDOWN_DELAY_SECONDS + 20, TimeUnit.SECONDS)) {
                drained.exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
            } else {
                process.process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
            if (!replace) {
                return;
            }
            int index = victim;
            Map<String, String> environment = replica(index);
            replacement = CompletableFuture.runAsync(() -> {
                try {
                    replicas[index] = GatewayProcess.start("replicas-nginx-gateway-" + (index + 1) + "-replacement", environment);
                    nginx.upstreams(List.of(ports[0], ports[1], ports[2]));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, THREADS);
        } catch (Exception e) {
            drained.problem = e.toString();
            node.send("@@ continue");
        }
    }

    private static Map<String, String> replica(int index) {
        Map<String, String> environment = new HashMap<>(replicaEnvironment);
        environment.put("MCP_PORT", String.valueOf(ports[index]));
        return environment;
    }

    private static CompletableFuture<GatewayProcess> startAsync(String name, Map<String, String> environment) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return GatewayProcess.start(name, environment);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, THREADS);
    }

    private static double runningJobs(GatewayProcess replica) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(replica.base() + "/q/metrics"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return response.body().lines().filter(line -> line.startsWith("switchboard_jobs_running"))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static String readiness(GatewayProcess replica) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(replica.base() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body().replaceAll("\\s+", " ");
        } catch (IOException e) {
            return "no answer: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
