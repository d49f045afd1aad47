package dev.switchboard.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The resolution rules as a pure function: no server, no store, every case in milliseconds. */
class OrganizationRulesTest {

    private static final Identity.OrganizationRef ACME = new Identity.OrganizationRef("org_acme", "Acme Inc", "acme",
            "agency_northwind");
    private static final Identity.OrganizationRef GLOBEX = new Identity.OrganizationRef("org_globex", "Globex Corporation",
            "globex", "agency_northwind");
    private static final Identity.OrganizationRef INITECH = new Identity.OrganizationRef("org_initech", "Initech", "initech",
            null);

    private static final Identity MASTER = new Identity("key_master", Identity.KeyKind.MASTER, null, null,
            List.of("agency_northwind"), List.of(ACME, GLOBEX, INITECH));
    private static final Identity ALICE = new Identity("key_alice", Identity.KeyKind.USER, "Alice", "org_acme", List.of(),
            List.of(ACME, GLOBEX));
    private static final Identity BOB = new Identity("key_bob", Identity.KeyKind.USER, "Bob", "org_globex", List.of(),
            List.of(GLOBEX));
    private static final Identity LEGACY = new Identity("key_legacy", Identity.KeyKind.LEGACY, null, "org_initech",
            List.of(), List.of(INITECH));

    private static Credentials credentials(String companyId, String agencyId, Credentials.Source source) {
        java.util.Map<String, String> headers = new java.util.HashMap<>();
        headers.put("Authorization", "Bearer k");
        headers.put("X-Company-ID", companyId);
        headers.put("X-Agency-ID", agencyId);
        return Credentials.from(headers::get, source, "127.0.0.1");
    }

    private static Credentials headers(String companyId, String agencyId) {
        return credentials(companyId, agencyId, Credentials.Source.HTTP_HEADERS);
    }

    private static ActiveOrganization active(OrganizationRules.Decision decision) {
        assertThat(decision.resolution()).isInstanceOf(Resolution.Resolved.class);
        return ((Resolution.Resolved) decision.resolution()).active();
    }

    private static Resolution.Unresolved unresolved(OrganizationRules.Decision decision) {
        assertThat(decision.resolution()).isInstanceOf(Resolution.Unresolved.class);
        return (Resolution.Unresolved) decision.resolution();
    }

    @Test
    void thePinComesFirstThenTheSwitchThenTheDefaultThenTheOldest() {
        OrganizationRules.StoreView switched = OrganizationRules.StoreView.of(Optional.of("org_globex"));
        assertThat(active(OrganizationRules.decide(ALICE, headers("org_acme", null), switched)).source())
                .isEqualTo(ActiveOrganization.Source.HEADER);
        assertThat(active(OrganizationRules.decide(ALICE, headers(null, null), switched)).organization()).isEqualTo(GLOBEX);
        assertThat(active(OrganizationRules.decide(ALICE, headers(null, null), OrganizationRules.StoreView.of(Optional.empty())))
                .source()).isEqualTo(ActiveOrganization.Source.DEFAULT);
        assertThat(active(OrganizationRules.decide(MASTER, headers(null, null), OrganizationRules.StoreView.of(Optional.empty()))))
                .satisfies(a -> {
                    assertThat(a.organization()).isEqualTo(ACME);
                    assertThat(a.source()).isEqualTo(ActiveOrganization.Source.OLDEST);
                });
    }

    @Test
    void anAgencyHeaderNarrowsOneRequestAndNeverClearsTheKeysSwitch() {
        // the master key switched to Initech; one request narrows to Northwind's organizations
        OrganizationRules.Decision decision = OrganizationRules.decide(MASTER, headers(null, "agency_northwind"),
                OrganizationRules.StoreView.of(Optional.of("org_initech")));
        assertThat(decision.clearStaleOverride()).as("the switch stays for every other client of the key").isFalse();
        Resolution.Unresolved refused = unresolved(decision);
        assertThat(refused.reason()).isEqualTo(TenancyException.Reason.NO_ACTIVE_ORGANIZATION);
        assertThat(refused.message()).contains("org_initech").contains("agency_northwind").contains("X-Agency-ID")
                .contains("acted on none");
        assertThat(refused.reachable()).containsExactly(ACME, GLOBEX);
        // without the header, the switch applies
        assertThat(active(OrganizationRules.decide(MASTER, headers(null, null),
                OrganizationRules.StoreView.of(Optional.of("org_initech")))).organization()).isEqualTo(INITECH);
    }

    @Test
    void aSwitchTheKeyItselfLostIsClearedAndThisCallFailsSayingSo() {
        OrganizationRules.Decision decision = OrganizationRules.decide(BOB, headers(null, null),
                OrganizationRules.StoreView.of(Optional.of("org_acme")));
        assertThat(decision.clearStaleOverride()).isTrue();
        assertThat(unresolved(decision).message()).contains("no longer reaches org_acme").contains("Globex");
    }

    @Test
    void afterTheStoreLostItsDataAKeyThatCouldHaveSwitchedFailsClosed() {
        Instant lost = Instant.parse("2026-11-24T10:42:00Z");
        OrganizationRules.StoreView emptied = new OrganizationRules.StoreView(Optional.empty(), false, Optional.of(lost));
        Resolution.Unresolved alice = unresolved(OrganizationRules.decide(ALICE, headers(null, null), emptied));
        assertThat(alice.message()).contains("lost its data at 2026-11-24 10:42:00 UTC").contains("organizations_switch")
                .contains("X-Company-ID").contains("nothing was done");
        // a switch made after the loss, a pin, a key with one organization and a legacy key are all vouched for
        OrganizationRules.StoreView switchedAgain = new OrganizationRules.StoreView(Optional.of("org_globex"), false,
                Optional.of(lost));
        assertThat(active(OrganizationRules.decide(ALICE, headers(null, null), switchedAgain)).organization()).isEqualTo(GLOBEX);
        assertThat(active(OrganizationRules.decide(ALICE, headers("org_acme", null), emptied)).organization()).isEqualTo(ACME);
        assertThat(active(OrganizationRules.decide(BOB, headers(null, null), emptied)).organization()).isEqualTo(GLOBEX);
        assertThat(active(OrganizationRules.decide(LEGACY, headers(null, null), emptied)).organization()).isEqualTo(INITECH);
    }

    @Test
    void overStdioTheMessagesNameTheSettingsTheUserSet() {
        Credentials stdio = credentials("org_initech", null, Credentials.Source.STDIO_SETTINGS);
        assertThatThrownBy(() -> OrganizationRules.decide(ALICE, stdio, OrganizationRules.StoreView.of(Optional.empty())))
                .isInstanceOf(TenancyException.class).hasMessageContaining("MCP_COMPANY_ID")
                .hasMessageNotContaining("X-Company-ID");
        OrganizationRules.StoreView emptied = new OrganizationRules.StoreView(Optional.empty(), false, Optional.of(Instant.now()));
        assertThat(unresolved(OrganizationRules.decide(ALICE, credentials(null, null, Credentials.Source.STDIO_SETTINGS),
                emptied)).message()).contains("MCP_COMPANY_ID");
    }

    @Test
    void aStoreThatDoesNotAnswerLeavesOnlyPinnedCallsGoing() {
        OrganizationRules.StoreView down = new OrganizationRules.StoreView(Optional.empty(), true, Optional.empty());
        assertThat(unresolved(OrganizationRules.decide(ALICE, headers(null, null), down)).reason())
                .isEqualTo(TenancyException.Reason.STATE_STORE_UNAVAILABLE);
        assertThat(active(OrganizationRules.decide(ALICE, headers("org_globex", null), down)).organization()).isEqualTo(GLOBEX);
    }

    @Test
    void unreachablePinsAndAgenciesAreRefusedWithWhatTheKeyReaches() {
        assertThatThrownBy(() -> OrganizationRules.decide(BOB, headers("org_acme", null),
                OrganizationRules.StoreView.of(Optional.empty()))).hasMessageContaining("org_globex (Globex Corporation)");
        assertThatThrownBy(() -> OrganizationRules.decide(ALICE, headers(null, "agency_northwind"),
                OrganizationRules.StoreView.of(Optional.empty()))).hasMessageContaining("no access to agency agency_northwind");
    }
}
