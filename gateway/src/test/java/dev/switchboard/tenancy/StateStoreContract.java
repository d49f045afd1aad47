package dev.switchboard.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The semantics both state stores must have; run against the in-process store and against Redis. */
abstract class StateStoreContract {

    static final Duration TTL = Duration.ofHours(24);

    abstract StateStore store();

    private static String hash() {
        return Credentials.hash(UUID.randomUUID().toString());
    }

    @Test
    void overridesAndIdentitiesAreReadBackInOneAdmission() {
        String key = hash();
        StateStore.Admission empty = store().admit(key, 0, TTL).await().indefinitely();
        assertThat(empty.allowed()).isTrue();
        assertThat(empty.identity()).isEmpty();
        assertThat(empty.activeOrganization()).isEmpty();
        store().cacheIdentity(key, "{\"keyId\":\"k\"}", Duration.ofSeconds(30)).await().indefinitely();
        store().setActiveOrganization(key, "org_globex", Duration.ofSeconds(30)).await().indefinitely();
        StateStore.Admission full = store().admit(key, 0, TTL).await().indefinitely();
        assertThat(full.identity()).contains("{\"keyId\":\"k\"}");
        assertThat(full.activeOrganization()).contains("org_globex");
        store().clearActiveOrganization(key).await().indefinitely();
        store().forgetIdentity(key).await().indefinitely();
        StateStore.Admission cleared = store().admit(key, 0, TTL).await().indefinitely();
        assertThat(cleared.identity()).isEmpty();
        assertThat(cleared.activeOrganization()).isEmpty();
    }

    @Test
    void entriesExpire() throws InterruptedException {
        String key = hash();
        store().setActiveOrganization(key, "org_acme", Duration.ofMillis(300)).await().indefinitely();
        store().cacheIdentity(key, "{}", Duration.ofMillis(300)).await().indefinitely();
        assertThat(store().admit(key, 0, TTL).await().indefinitely().activeOrganization()).contains("org_acme");
        Thread.sleep(450);
        StateStore.Admission later = store().admit(key, 0, TTL).await().indefinitely();
        assertThat(later.activeOrganization()).isEmpty();
        assertThat(later.identity()).isEmpty();
    }

    @Test
    void theTokenBucketLimitsEachKeySeparately() {
        String key = hash();
        for (int i = 0; i < 3; i++) {
            assertThat(store().admit(key, 3, TTL).await().indefinitely().allowed()).as("call %d", i + 1).isTrue();
        }
        StateStore.Admission refused = store().admit(key, 3, TTL).await().indefinitely();
        assertThat(refused.allowed()).isFalse();
        // three per minute: one token every 20 s
        assertThat(refused.retryAfter()).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(20));
        assertThat(store().admit(hash(), 3, TTL).await().indefinitely().allowed()).isTrue();
        assertThat(store().admit(key, 0, TTL).await().indefinitely().allowed()).as("0 disables the limit").isTrue();
    }

    @Test
    void pingAnswers() {
        store().ping().await().atMost(Duration.ofMinutes(1));
    }
}
