package dev.switchboard.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.GenerousWaits;
import dev.switchboard.tenancy.StateStore.Field;

/** The semantics both state stores must have; run against the in-process store and against Redis. */
abstract class StateStoreContract {

    static final Duration TTL = Duration.ofHours(24);
    static final List<Field> FIELDS = List.of(Field.IDENTITY, Field.ACTIVE_ORGANIZATION);

    abstract StateStore store();

    static String principal() {
        return new Principals("contract-test-secret-0123456789abcdef").ofKey(UUID.randomUUID().toString());
    }

    private StateStore.Snapshot admit(String principal, int perMinute) {
        return store().admit(principal, perMinute, TTL, FIELDS).await().indefinitely();
    }

    @Test
    void valuesAreReadBackInOneAdmission() {
        String principal = principal();
        StateStore.Snapshot empty = admit(principal, 0);
        assertThat(empty.allowed()).isTrue();
        assertThat(empty.values()).isEmpty();
        store().write(principal, Field.IDENTITY, "{\"keyId\":\"k\"}", Duration.ofSeconds(30)).await().indefinitely();
        store().write(principal, Field.ACTIVE_ORGANIZATION, "org_globex", Duration.ofSeconds(30)).await().indefinitely();
        StateStore.Snapshot full = admit(principal, 0);
        assertThat(full.get(Field.IDENTITY)).contains("{\"keyId\":\"k\"}");
        assertThat(full.get(Field.ACTIVE_ORGANIZATION)).contains("org_globex");
        assertThat(store().read(principal, Field.ACTIVE_ORGANIZATION).await().indefinitely()).contains("org_globex");
        store().delete(principal, Field.ACTIVE_ORGANIZATION).await().indefinitely();
        store().delete(principal, Field.IDENTITY).await().indefinitely();
        assertThat(admit(principal, 0).values()).isEmpty();
    }

    @Test
    void aValueIsWrittenIfAbsentOnlyOnce() {
        String principal = principal();
        assertThat(store().writeIfAbsent(principal, Field.ACTIVE_ORGANIZATION, "org_acme", TTL).await().indefinitely()).isTrue();
        assertThat(store().writeIfAbsent(principal, Field.ACTIVE_ORGANIZATION, "org_globex", TTL).await().indefinitely()).isFalse();
        assertThat(store().read(principal, Field.ACTIVE_ORGANIZATION).await().indefinitely()).contains("org_acme");
        assertThat(store().remaining(principal, Field.ACTIVE_ORGANIZATION).await().indefinitely()).hasValueSatisfying(
                left -> assertThat(left).isBetween(TTL.minusMinutes(1), TTL));
        assertThat(store().remaining(principal, Field.IDENTITY).await().indefinitely()).isEmpty();
    }

    @Test
    void entriesExpire() {
        String principal = principal();
        store().write(principal, Field.ACTIVE_ORGANIZATION, "org_acme", Duration.ofMillis(300)).await().indefinitely();
        store().write(principal, Field.IDENTITY, "{}", Duration.ofMillis(300)).await().indefinitely();
        assertThat(admit(principal, 0).get(Field.ACTIVE_ORGANIZATION)).contains("org_acme");
        GenerousWaits.until("both values to expire", () -> admit(principal, 0).values().isEmpty(), () -> "");
    }

    @Test
    void theTokenBucketLimitsEachPrincipalSeparately() {
        String principal = principal();
        for (int i = 0; i < 3; i++) {
            assertThat(admit(principal, 3).allowed()).as("call %d", i + 1).isTrue();
        }
        StateStore.Snapshot refused = admit(principal, 3);
        assertThat(refused.allowed()).isFalse();
        // three per minute: one token every 20 s
        assertThat(refused.retryAfter()).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(20));
        assertThat(admit(principal(), 3).allowed()).isTrue();
        assertThat(admit(principal, 0).allowed()).as("0 disables the limit").isTrue();
    }

    @Test
    void pingAnswers() {
        store().ping().await().atMost(Duration.ofMinutes(1));
    }
}
