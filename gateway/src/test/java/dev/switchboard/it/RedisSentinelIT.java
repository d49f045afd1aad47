package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.switchboard.support.Processes;
import dev.switchboard.support.RedisSentinelGroup;
import io.vertx.core.json.JsonObject;

/**
 * The gateway on a real Redis Sentinel group (a master, a replica, three sentinels; QUARKUS_REDIS_CLIENT_TYPE=sentinel,
 * the sentinels in REDIS_URL, as k8s/README.md documents): a key switched to org_globex keeps writing through two
 * failovers during traffic, an orderly one (SENTINEL FAILOVER) and a crash of the master. Every call acts on
 * org_globex or fails with a clear error, none acts on another organization, and calls succeed again after each
 * failover. The backend is asked where every written contact landed.
 */
class RedisSentinelIT {

    @RegisterExtension
    static final Processes processes = new Processes();

    private static RedisSentinelGroup sentinel;
    private static GatewayProcess gateway;

    @BeforeAll
    static void start() throws Exception {
        sentinel = processes.add(RedisSentinelGroup.start());
        // the embedded sandbox is the backend; the rate limit is on, so that every call writes to the master
        gateway = processes.add(GatewayProcess.start("redis-sentinel-gateway", Map.of("REDIS_URL", sentinel.sentinelUrls(),
                "QUARKUS_REDIS_CLIENT_TYPE", "sentinel", "QUARKUS_REDIS_MASTER_NAME", RedisSentinelGroup.MASTER_NAME,
                "MCP_RATE_LIMIT_PER_MINUTE", "100000")));
    }

    @Test
    void failoversDuringTrafficNeverMoveCallsToAnotherOrganization() throws Exception {
        Rpc.Answer switched = Rpc.post(gateway.base() + "/mcp",
                Rpc.call(1, "organizations_switch", new JsonObject().put("organizationId", "org_globex")),
                Map.of("Authorization", "Bearer sbx_alice"));
        assertThat(switched.message().encode()).contains("\"id\":\"org_globex\"");
        assertThat(gateway.output()).contains("State store: redis");

        String tag = "sentinel-" + Long.toString(System.currentTimeMillis(), 36);
        int firstMaster = sentinel.masterPort();
        int secondMaster;
        int thirdMaster;
        Rpc.Answer duringFailover;
        FailoverTraffic traffic = new FailoverTraffic(gateway, "sbx_alice", tag);
        try {
            traffic.awaitSucceeded("before", 10);

            traffic.phase("orderly failover");
            secondMaster = sentinel.failover();
            // the replica is promoted and the sentinels name it; a switch acknowledged now must hold
            duringFailover = Rpc.post(gateway.base() + "/mcp", Rpc.call(2, "organizations_switch",
                    new JsonObject().put("organizationId", "org_globex")), Map.of("Authorization", "Bearer sbx_agency"));
            sentinel.awaitReplicating(firstMaster);
            traffic.phase("after orderly failover");
            traffic.awaitSucceeded("after orderly failover", 10);

            traffic.phase("master crash");
            thirdMaster = sentinel.killMaster();
            traffic.phase("after master crash");
            traffic.awaitSucceeded("after master crash", 10);
        } finally {
            traffic.close();
        }
        String story = "masters " + firstMaster + " -> " + secondMaster + " -> " + thirdMaster + "; " + traffic.summary();
        System.out.println("RedisSentinelIT: " + story);

        assertThat(secondMaster).as(story).isNotEqualTo(firstMaster);
        assertThat(traffic.elsewhere("org_globex")).as("calls that acted on another organization; " + story).isEmpty();
        assertThat(traffic.unclearErrors()).as("errors that do not say what happened; " + story).isEmpty();
        assertThat(traffic.succeededIn("before")).as(story).isGreaterThanOrEqualTo(10);
        assertThat(traffic.succeededIn("after orderly failover")).as("calls succeed again after SENTINEL FAILOVER; " + story)
                .isGreaterThanOrEqualTo(10);
        assertThat(traffic.succeededIn("after master crash")).as("calls succeed again after the master crashed; " + story)
                .isGreaterThanOrEqualTo(10);

        // sbx_agency (default org_acme) switched to org_globex while the old master did not know yet that it was demoted:
        // the switch is either acknowledged (a replica has it, so it survives the failover) or refused saying so
        String during = duringFailover.message().encode();
        boolean acknowledged = during.contains("\"id\":\"org_globex\"");
        if (!acknowledged) {
            assertThat(during).as("a switch refused during the failover says so").contains("the switch was not saved");
        }
        Rpc.Answer agency = Rpc.post(gateway.base() + "/mcp", Rpc.call(3, "contacts_list", new JsonObject().put("limit", 1)),
                Map.of("Authorization", "Bearer sbx_agency"));
        assertThat(agency.message().encode()).as("an acknowledged switch holds after SENTINEL FAILOVER, a refused one was "
                + "never made; " + story).contains("\"organization\":{\"id\":\"" + (acknowledged ? "org_globex" : "org_acme") + "\"");

        long acted = traffic.outcomes().stream().filter(FailoverTraffic.Outcome::succeeded).count();
        assertThat(FailoverTraffic.contactsTagged(gateway.base(), "org_acme", tag)).as("contacts in org_acme; " + story).isZero();
        assertThat(FailoverTraffic.contactsTagged(gateway.base(), "org_globex", tag))
                .as("every call that answered success wrote to org_globex; " + story).isGreaterThanOrEqualTo((int) acted);
    }
}
