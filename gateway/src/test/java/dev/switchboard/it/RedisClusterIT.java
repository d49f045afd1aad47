package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.switchboard.support.Processes;
import dev.switchboard.support.RedisClusterGroup;
import dev.switchboard.tenancy.Principals;
import io.vertx.core.json.JsonObject;

/**
 * The gateway on a real three-master Redis Cluster (six nodes; QUARKUS_REDIS_CLIENT_TYPE=cluster, every node in
 * REDIS_URL): a key switched to org_globex keeps writing through failovers during traffic (CLUSTER FAILOVER on the
 * replicas of the masters holding the key's slot and the store generation's slot), and a master that restarts empty
 * makes switched keys fail closed (-32003, "lost its data") instead of acting on the key's default organization, both
 * when it held the store generation ({@code mcp:epoch}) and when it held only the key's switch.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterIT {

    private static final String EPOCH_KEY = "mcp:epoch";

    @RegisterExtension
    static final Processes processes = new Processes();

    private static RedisClusterGroup cluster;
    private static GatewayProcess gateway;
    private static int requestId = 100;

    /** The gateway's MCP_KEY_HASH_SECRET, which decides where each key's switch lives. */
    private static String keyHashSecret = GatewayProcess.KEY_HASH_SECRET;

    @BeforeAll
    static void start() throws Exception {
        cluster = processes.add(RedisClusterGroup.start());
        keyHashSecret = secretPlacingTheKeysAsTheTestsNeed();
        gateway = processes.add(GatewayProcess.start("redis-cluster-gateway", Map.of("REDIS_URL", cluster.urls(),
                "QUARKUS_REDIS_CLIENT_TYPE", "cluster", "MCP_RATE_LIMIT_PER_MINUTE", "100000", "MCP_KEY_HASH_SECRET",
                keyHashSecret)));
    }

    /**
     * Keys are named by a keyed hash, so the secret decides which master holds a key's switch. The first secret of a
     * fixed sequence that puts sbx_alice's and sbx_agency's switches on other masters than the store generation, and
     * sbx_master's on the generation's master, as the tests below need. (A failover swaps a master and its replica, so
     * which switches share a master with the generation stays as chosen here.)
     */
    private static String secretPlacingTheKeysAsTheTestsNeed() {
        int generationMaster = cluster.masterOf(cluster.slot(EPOCH_KEY));
        for (int i = 0; i < 1000; i++) {
            String secret = i == 0 ? GatewayProcess.KEY_HASH_SECRET : GatewayProcess.KEY_HASH_SECRET + "-" + i;
            Principals principals = new Principals(secret);
            int alice = cluster.masterOf(cluster.slot(activeKey(principals, "sbx_alice")));
            int agency = cluster.masterOf(cluster.slot(activeKey(principals, "sbx_agency")));
            int master = cluster.masterOf(cluster.slot(activeKey(principals, "sbx_master")));
            if (alice != generationMaster && agency != generationMaster && master == generationMaster) {
                return secret;
            }
        }
        throw new IllegalStateException("no key-hash secret places the keys' switches as the tests need");
    }

    @Test
    @Order(1)
    void failoversDuringTrafficNeverMoveCallsToAnotherOrganization() throws Exception {
        switchTo("sbx_alice", "org_globex");
        assertThat(gateway.output()).contains("State store: redis");
        int keySlot = cluster.slot(activeKey("sbx_alice"));
        int epochSlot = cluster.slot(EPOCH_KEY);

        String tag = "cluster-" + Long.toString(System.currentTimeMillis(), 36);
        FailoverTraffic traffic = new FailoverTraffic(gateway, "sbx_alice", tag);
        String moves;
        try {
            traffic.awaitSucceeded("before", 10);
            traffic.phase("failover of the key's master");
            int first = cluster.failover(keySlot);
            traffic.phase("after the key's failover");
            traffic.awaitSucceeded("after the key's failover", 10);
            if (cluster.masterOf(epochSlot) != first) {
                traffic.phase("failover of the generation's master");
                cluster.failover(epochSlot);
            }
            traffic.phase("after the generation's failover");
            traffic.awaitSucceeded("after the generation's failover", 10);
            moves = "key slot " + keySlot + " now on " + cluster.masterOf(keySlot) + ", generation slot " + epochSlot
                    + " now on " + cluster.masterOf(epochSlot);
        } finally {
            traffic.close();
        }
        String story = moves + "; " + traffic.summary();
        System.out.println("RedisClusterIT failovers: " + story);

        assertThat(traffic.elsewhere("org_globex")).as("calls that acted on another organization; " + story).isEmpty();
        assertThat(traffic.unclearErrors()).as("errors that do not say what happened; " + story).isEmpty();
        assertThat(traffic.succeededIn("after the key's failover")).as(story).isGreaterThanOrEqualTo(10);
        assertThat(traffic.succeededIn("after the generation's failover")).as(story).isGreaterThanOrEqualTo(10);
        long acted = traffic.outcomes().stream().filter(FailoverTraffic.Outcome::succeeded).count();
        assertThat(FailoverTraffic.contactsTagged(gateway.base(), "org_acme", tag)).as("contacts in org_acme; " + story).isZero();
        assertThat(FailoverTraffic.contactsTagged(gateway.base(), "org_globex", tag)).as(story).isGreaterThanOrEqualTo((int) acted);
    }

    /** The master holding a key's switch (and not the store generation) comes back empty. */
    @Test
    @Order(2)
    void aMasterRestartedEmptyWithTheKeysSwitchFailsClosed() throws Exception {
        String key = "sbx_alice";
        switchTo(key, "org_globex");
        int keySlot = cluster.slot(activeKey(key));
        int epochSlot = cluster.slot(EPOCH_KEY);
        assertThat(cluster.exists(activeKey(key))).as("the switch is stored under %s", activeKey(key)).isTrue();
        assertThat(cluster.masterOf(keySlot)).as("this case needs the switch and the generation on different masters")
                .isNotEqualTo(cluster.masterOf(epochSlot));

        int restarted = cluster.restartEmpty(keySlot);
        assertThat(cluster.exists(activeKey(key))).as("the switch is gone with node %d's data", restarted).isFalse();
        assertThat(cluster.exists(EPOCH_KEY)).as("the generation, on another master, is intact").isTrue();

        assertFailsClosed(key, "switch-node");
        switchTo(key, "org_globex");
        assertThat(organizationOf(create(key, "switch-node-after@example.com"))).isEqualTo("org_globex");
    }

    /** The master holding the store generation (mcp:epoch) comes back empty, and with it the switches it held. */
    @Test
    @Order(3)
    void aMasterRestartedEmptyWithTheStoreGenerationFailsClosed() throws Exception {
        // sbx_master's switch lives on the generation's master; sbx_agency's on another one
        switchTo("sbx_master", "org_globex");
        switchTo("sbx_agency", "org_globex");
        int epochSlot = cluster.slot(EPOCH_KEY);
        assertThat(cluster.exists(EPOCH_KEY)).isTrue();
        assertThat(cluster.masterOf(cluster.slot(activeKey("sbx_master")))).as("sbx_master's switch is on the generation's master")
                .isEqualTo(cluster.masterOf(epochSlot));
        assertThat(cluster.masterOf(cluster.slot(activeKey("sbx_agency")))).as("sbx_agency's switch is on another master")
                .isNotEqualTo(cluster.masterOf(epochSlot));

        int restarted = cluster.restartEmpty(epochSlot);
        assertThat(cluster.exists(activeKey("sbx_master"))).as("the switch is gone with node %d's data", restarted).isFalse();
        assertThat(cluster.exists(activeKey("sbx_agency"))).as("the switch on another master is intact").isTrue();

        assertFailsClosed("sbx_master", "generation-node");
        // a switch that survived still holds
        assertThat(organizationOf(await().until(() -> create("sbx_agency", "generation-node-kept@example.com"),
                answer -> !answer.message().encode().contains("state store is unavailable")))).isEqualTo("org_globex");
        switchTo("sbx_master", "org_globex");
        assertThat(organizationOf(create("sbx_master", "generation-node-after@example.com"))).isEqualTo("org_globex");
    }

    /** Unpinned writes of a multi-organization key are refused, saying why and how to recover; nothing is written. */
    private void assertFailsClosed(String key, String label) throws Exception {
        String email = "cluster-" + label + "-" + Long.toString(System.currentTimeMillis(), 36) + "@example.com";
        // the first calls may find a connection to the restarted node broken: those fail closed too (store unavailable)
        Rpc.Answer refused = await().until(() -> create(key, email),
                answer -> !answer.message().encode().contains("state store is unavailable"));
        assertThat(refused.message().containsKey("error"))
                .as("a call of %s after its switch was lost answered %s", key, refused.message().encode()).isTrue();
        JsonObject error = refused.message().getJsonObject("error");
        assertThat(error.getInteger("code")).isEqualTo(-32003);
        assertThat(error.getString("message")).contains("lost its data").contains("organizations_switch").contains("X-Company-ID");
        assertThat(contactsWithEmail("org_acme", email)).as("nothing landed in the default organization").isZero();
        assertThat(contactsWithEmail("org_globex", email)).isZero();
    }

    private static Rpc.Answer create(String key, String email) throws Exception {
        return Rpc.post(gateway.base() + "/mcp", Rpc.call(requestId++, "contacts_create", new JsonObject().put("email", email)),
                Map.of("Authorization", "Bearer " + key));
    }

    private static void switchTo(String key, String organization) throws Exception {
        Rpc.Answer switched = await().until(() -> Rpc.post(gateway.base() + "/mcp", Rpc.call(requestId++,
                "organizations_switch", new JsonObject().put("organizationId", organization)), Map.of("Authorization",
                        "Bearer " + key)), answer -> !answer.message().encode().contains("state store is unavailable"));
        assertThat(organizationOf(switched)).as(switched.message().encode()).isEqualTo(organization);
    }

    private static String organizationOf(Rpc.Answer answer) {
        JsonObject result = answer.message().getJsonObject("result");
        if (result == null || result.getJsonObject("structuredContent") == null) {
            return "(no result: " + answer.message().encode() + ")";
        }
        return result.getJsonObject("structuredContent").getJsonObject("organization").getString("id");
    }

    private static int contactsWithEmail(String organization, String email) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                gateway.base() + "/sandbox/v1/organizations/" + organization + "/contacts?email=" + email))
                .header("Authorization", "Bearer sbx_master").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        return new JsonObject(response.body()).getJsonArray("items").size();
    }

    /** Where the gateway keeps a key's switch: its keyed fingerprint as the hash tag (RedisStateStore), never the key. */
    static String activeKey(String apiKey) {
        return activeKey(new Principals(keyHashSecret), apiKey);
    }

    private static String activeKey(Principals principals, String apiKey) {
        return "mcp:active:{" + principals.ofKey(apiKey) + "}";
    }
}
