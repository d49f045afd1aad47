package dev.switchboard.tenancy;

import static dev.switchboard.support.Calls.call;
import static dev.switchboard.support.Calls.error;
import static dev.switchboard.support.Gateway.result;
import static dev.switchboard.support.Gateway.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.Gateway;
import dev.switchboard.support.RedisProfile;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkiverse.mcp.server.test.McpAssured.McpStreamableTestClient;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyScanArgs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Organization state on the real Redis: the shared store of several replicas. */
@QuarkusTest
@TestProfile(RedisProfile.class)
class RedisTenancyTest extends StateStoreContract {

    @Inject
    StateStore store;

    @Inject
    RedisDataSource redis;

    @Override
    StateStore store() {
        return store;
    }

    @BeforeEach
    void clean() {
        // the profile's own Redis server: only the gateway's keys are there, and only they are removed; the store's
        // generation stays, or the gateway would rightly take the emptied store for one that lost its data
        List<String> keys = new ArrayList<>();
        redis.key().scan(new KeyScanArgs().match("mcp:*")).toIterable().forEach(key -> {
            if (!key.equals(StateStore.EPOCH_KEY)) {
                keys.add(key);
            }
        });
        if (!keys.isEmpty()) {
            redis.key().del(keys.toArray(String[]::new));
        }
        Gateway.resetSandbox();
    }

    @Test
    void theStoreIsRedis() {
        assertThat(store.kind()).isEqualTo("redis");
    }

    @Test
    void aSwitchIsKeptInRedisUnderTheKeyedFingerprintAndExpires() {
        McpStreamableTestClient alice = Gateway.streamable(Gateway.ALICE);
        try {
            call(alice, "organizations_switch", Map.of("organizationId", "org_globex"));
            String key = "mcp:active:{" + CallerHeadersAccess.hash(Gateway.ALICE) + "}";
            assertThat(redis.value(String.class).get(key)).isEqualTo("org_globex");
            assertThat(redis.key().pttl(key)).isBetween(1L, 3000L);
            assertThat(result(call(alice, "organizations_current", Map.of())).getString("source")).isEqualTo("override");
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    assertThat(result(call(alice, "organizations_current", Map.of())).getString("source")).isEqualTo("default"));
        } finally {
            alice.disconnect();
        }
    }

    /**
     * Key names are keyed hashes: none holds the plain SHA-256 of a key, which anyone could compute for a guessed key.
     * A switch stored under the plain name by an earlier version is moved to the keyed name on the key's next call.
     */
    @Test
    void aSwitchUnderThePreviousUnkeyedNameIsMovedToTheKeyedName() {
        String legacy = "mcp:active:{" + Principals.legacy(Gateway.BOB) + "}";
        String keyed = "mcp:active:{" + CallerHeadersAccess.hash(Gateway.BOB) + "}";
        assertThat(keyed).isNotEqualTo(legacy);
        redis.value(String.class).psetex(legacy, 3_600_000, "org_globex");
        redis.key().del("mcp:identity:{" + CallerHeadersAccess.hash(Gateway.BOB) + "}");
        McpStreamableTestClient bob = Gateway.streamable(Gateway.BOB);
        try {
            io.vertx.core.json.JsonObject current = result(call(bob, "organizations_current", Map.of()));
            assertThat(current.getString("source")).isEqualTo("override");
            assertThat(redis.value(String.class).get(keyed)).isEqualTo("org_globex");
            assertThat(redis.key().pttl(keyed)).isBetween(3_000_000L, 3_600_000L);
            assertThat(redis.key().exists(legacy)).isFalse();
            List<String> names = new ArrayList<>();
            redis.key().scan(new KeyScanArgs().match("mcp:*")).toIterable().forEach(names::add);
            assertThat(names).noneMatch(name -> name.contains(Principals.legacy(Gateway.BOB)));
        } finally {
            bob.disconnect();
        }
    }

    @Test
    void aRevokedMembershipClearsTheStaleOverride() {
        McpStreamableTestClient alice = Gateway.streamable(Gateway.ALICE);
        String key = "mcp:active:{" + CallerHeadersAccess.hash(Gateway.ALICE) + "}";
        try {
            call(alice, "organizations_switch", Map.of("organizationId", "org_globex"));
            Gateway.membership("usr_alice", "org_globex", false);
            // once the cached identity (1 s here) is renewed, the override is found stale, deleted, and the default applies
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                io.vertx.core.json.JsonObject current = result(call(alice, "organizations_current", Map.of()));
                assertThat(current.getString("source")).isEqualTo("default");
                assertThat(current.getJsonObject("organization").getString("id")).isEqualTo("org_acme");
            });
            assertThat(redis.key().exists(key)).as("the stale override is deleted").isFalse();
            ToolResponse switchBack = call(alice, "organizations_switch", Map.of("organizationId", "org_globex"));
            assertThat(switchBack.isError()).isTrue();
            assertThat(text(switchBack)).contains("It reaches: org_acme (Acme Inc)");
        } finally {
            Gateway.membership("usr_alice", "org_globex", true);
            alice.disconnect();
        }
    }

    @Test
    void aRefusedKeyIsAskedOfTheWorkspaceOnceHoweverOftenItIsRepeated() {
        int before = Gateway.requests("auth_whoami");
        McpStreamableTestClient prober = Gateway.streamable("sbx_guessing_keys");
        try {
            for (int i = 0; i < 20; i++) {
                io.vertx.core.json.JsonObject answer = dev.switchboard.support.Calls.raw(prober, "contacts_list", Map.of());
                assertThat(answer.getJsonObject("error").getInteger("code")).isEqualTo(-32002);
            }
        } finally {
            prober.disconnect();
        }
        assertThat(Gateway.requests("auth_whoami") - before).as("upstream key checks for 20 calls with one bad key")
                .isEqualTo(1);
    }

    @Test
    void theRateLimitAppliesPerKey() {
        McpStreamableTestClient bob = Gateway.streamable(Gateway.BOB);
        try {
            ToolResponse limited = null;
            int allowed = 0;
            for (int i = 0; i < 80 && limited == null; i++) {
                ToolResponse response = call(bob, "organizations_current", Map.of());
                if (response.isError()) {
                    limited = response;
                } else {
                    allowed++;
                }
            }
            // 40 per minute, refilled evenly: the burst allows 40 calls and a few refilled while they ran
            assertThat(allowed).isBetween(40, 50);
            assertThat(limited).isNotNull();
            assertThat(text(limited)).contains("Rate limit reached").contains("40 tool calls per minute").contains("Retry in");
        } finally {
            bob.disconnect();
        }
        McpStreamableTestClient alice = Gateway.streamable(Gateway.ALICE);
        try {
            assertThat(call(alice, "organizations_current", Map.of()).isError()).as("other keys are not affected").isFalse();
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void noKeyMaterialIsStoredInRedis() {
        for (String key : List.of(Gateway.ALICE, Gateway.BOB, Gateway.MASTER, Gateway.AGENCY)) {
            McpStreamableTestClient client = Gateway.streamable(key);
            try {
                call(client, "organizations_list", Map.of());
                if (!key.equals(Gateway.BOB)) {
                    call(client, "organizations_switch", Map.of("organizationId", "org_globex"));
                }
            } finally {
                client.disconnect();
            }
        }
        List<String> keys = new ArrayList<>();
        redis.key().scan(new KeyScanArgs().match("*")).toIterable().forEach(keys::add);
        assertThat(keys).isNotEmpty().allMatch(k -> k.startsWith("mcp:")).noneMatch(k -> k.contains("sbx_"));
        assertThat(keys).anyMatch(k -> k.startsWith("mcp:identity:{")).anyMatch(k -> k.startsWith("mcp:ratelimit:{"));
        for (String key : keys) {
            String value = redis.key().type(key) == io.quarkus.redis.datasource.keys.RedisValueType.STRING
                    ? redis.value(String.class).get(key) : redis.hash(String.class).hgetall(key).toString();
            assertThat(value).as(key).doesNotContain("sbx_");
        }
    }
}
