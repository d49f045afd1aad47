package dev.switchboard.tenancy;

import static dev.switchboard.support.Calls.call;
import static dev.switchboard.support.Calls.error;
import static dev.switchboard.support.Gateway.envelope;
import static dev.switchboard.support.Gateway.result;
import static dev.switchboard.support.Gateway.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.Gateway;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkiverse.mcp.server.test.McpAssured.McpStreamableTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * How the organization of a call is chosen (in-process state store): the X-Company-ID header, then the organization
 * switched to, then the key's default; legacy keys cannot switch, master keys fall back to the oldest organization, and
 * an X-Agency-ID header narrows the choice or is refused.
 */
@QuarkusTest
class OrganizationSelectionTest {

    @Inject
    StateStore store;

    @BeforeEach
    void reset() {
        FreshTenancy.reset(store);
    }

    @Test
    void resolutionOrderIsHeaderThenOverrideThenDefault() {
        McpStreamableTestClient alice = Gateway.streamable(Gateway.ALICE);
        McpStreamableTestClient pinned = Gateway.streamable(Gateway.ALICE, Map.of("X-Company-ID", "org_acme"));
        try {
            JsonObject current = result(call(alice, "organizations_current", Map.of()));
            assertThat(current.getString("source")).isEqualTo("default");
            assertThat(current.getString("keyKind")).isEqualTo("user");
            assertThat(current.getJsonObject("organization").getString("id")).isEqualTo("org_acme");

            ToolResponse switched = call(alice, "organizations_switch", Map.of("organizationId", "org_globex"));
            assertThat(envelope(switched).getJsonObject("organization").getString("id")).isEqualTo("org_globex");
            assertThat(result(switched).getJsonObject("previous").getString("id")).isEqualTo("org_acme");
            current = result(call(alice, "organizations_current", Map.of()));
            assertThat(current.getString("source")).isEqualTo("override");
            assertThat(envelope(call(alice, "contacts_list", Map.of("limit", 1))).getJsonObject("organization").getString("id"))
                    .isEqualTo("org_globex");

            // the header wins over the override, and a switch cannot change a pinned connection
            JsonObject pinnedCurrent = result(call(pinned, "organizations_current", Map.of()));
            assertThat(pinnedCurrent.getString("source")).isEqualTo("header");
            assertThat(pinnedCurrent.getJsonObject("organization").getString("id")).isEqualTo("org_acme");
            assertThat(pinnedCurrent.getBoolean("canSwitch")).isFalse();
            ToolResponse refused = call(pinned, "organizations_switch", Map.of("organizationId", "org_globex"));
            assertThat(refused.isError()).isTrue();
            assertThat(text(refused)).contains("X-Company-ID");

            JsonArray listed = result(call(alice, "organizations_list", Map.of())).getJsonArray("items");
            assertThat(listed.stream().map(o -> ((JsonObject) o).getString("id"))).containsExactly("org_acme", "org_globex");
            assertThat(listed.stream().filter(o -> ((JsonObject) o).getBoolean("active")).map(o -> ((JsonObject) o).getString("id")))
                    .containsExactly("org_globex");
            call(alice, "organizations_switch", Map.of("organizationId", "org_acme"));
        } finally {
            alice.disconnect();
            pinned.disconnect();
        }
    }

    @Test
    void legacyKeysCannotSwitchAndMasterKeysFallBackToTheOldest() {
        McpStreamableTestClient legacy = Gateway.streamable(Gateway.LEGACY);
        McpStreamableTestClient master = Gateway.streamable(Gateway.MASTER);
        try {
            ToolResponse refused = call(legacy, "organizations_switch", Map.of("organizationId", "org_initech"));
            assertThat(refused.isError()).isTrue();
            assertThat(text(refused)).contains("legacy").contains("org_initech");
            JsonObject legacyCurrent = result(call(legacy, "organizations_current", Map.of()));
            assertThat(legacyCurrent.getString("keyKind")).isEqualTo("legacy");
            assertThat(legacyCurrent.getBoolean("canSwitch")).isFalse();
            assertThat(result(call(legacy, "organizations_list", Map.of())).getJsonArray("items")).hasSize(1);

            JsonObject masterCurrent = result(call(master, "organizations_current", Map.of()));
            assertThat(masterCurrent.getString("keyKind")).isEqualTo("master");
            assertThat(masterCurrent.getString("source")).isEqualTo("oldest");
            assertThat(masterCurrent.getJsonObject("organization").getString("id")).isEqualTo("org_acme");
            assertThat(result(call(master, "organizations_list", Map.of())).getJsonArray("items")).hasSize(3);
            ToolResponse toInitech = call(master, "organizations_switch", Map.of("organizationId", "org_initech"));
            assertThat(toInitech.isError()).isFalse();
            ToolResponse noMailbox = call(master, "inbox_threads_search", Map.of("query", "x"));
            assertThat(text(noMailbox)).startsWith("[organization] Initech").contains("has no mailbox");
            call(master, "organizations_switch", Map.of("organizationId", "org_acme"));
        } finally {
            legacy.disconnect();
            master.disconnect();
        }
    }

    /**
     * A master key switched to an organization outside the agency its X-Agency-ID header names: the answer of
     * organizations_list still says which organization it acted on (none, as a null organization and a header line),
     * and every message blames the agency header that narrowed it, not X-Company-ID.
     */
    @Test
    void anAnswerWithoutAnOrganizationStillSaysSoAndBlamesTheAgencyHeader() {
        McpStreamableTestClient master = Gateway.streamable(Gateway.MASTER);
        McpStreamableTestClient narrowed = Gateway.streamable(Gateway.MASTER, Map.of("X-Agency-ID", "agency_northwind"));
        McpStreamableTestClient pinned = Gateway.streamable(Gateway.MASTER,
                Map.of("X-Agency-ID", "agency_northwind", "X-Company-ID", "org_initech"));
        try {
            assertThat(call(master, "organizations_switch", Map.of("organizationId", "org_initech")).isError()).isFalse();
            ToolResponse listed = call(narrowed, "organizations_list", Map.of());
            assertThat(text(listed)).startsWith("[organization] none active for this call\n---");
            assertThat(envelope(listed).containsKey("organization")).isTrue();
            assertThat(envelope(listed).getValue("organization")).isNull();
            assertThat(result(listed).getJsonArray("items")).hasSize(2);
            assertThat(result(listed).getString("notice"))
                    .startsWith("Agency agency_northwind (the X-Agency-ID header) narrows this request to its organizations")
                    .contains("org_initech (chosen with organizations_switch) is not one of them")
                    .doesNotContain("is not reachable with this API key");
            assertThat(error(narrowed, "contacts_list", Map.of()).message()).startsWith("Agency agency_northwind (the X-Agency-ID header)");
            assertThat(error(pinned, "contacts_list", Map.of()).message())
                    .startsWith("Agency agency_northwind (the X-Agency-ID header) narrows this request to its organizations")
                    .contains("org_initech (the X-Company-ID header) is not one of them")
                    .doesNotContain("is not reachable with this API key");
        } finally {
            call(master, "organizations_switch", Map.of("organizationId", "org_acme"));
            master.disconnect();
            narrowed.disconnect();
            pinned.disconnect();
        }
    }

    /** A membership lost or regained is seen on the very next call, not after the identity cache's 30 seconds. */
    @Test
    void aRevocationAndASwitchTakeEffectOnTheNextCall() {
        McpStreamableTestClient alice = Gateway.streamable(Gateway.ALICE);
        try {
            call(alice, "organizations_switch", Map.of("organizationId", "org_globex"));
            assertThat(result(call(alice, "organizations_current", Map.of())).getJsonObject("organization").getString("id"))
                    .isEqualTo("org_globex");
            Gateway.membership("usr_alice", "org_globex", false);
            var refused = error(alice, "organizations_current", Map.of());
            assertThat(refused.code()).isEqualTo(-32003);
            assertThat(refused.message()).contains("no longer reaches org_globex").contains("the switch was cleared");
            JsonObject fallback = result(call(alice, "organizations_current", Map.of()));
            assertThat(fallback.getJsonObject("organization").getString("id")).isEqualTo("org_acme");
            assertThat(fallback.getString("source")).isEqualTo("default");

            Gateway.membership("usr_alice", "org_globex", true);
            ToolResponse switched = call(alice, "organizations_switch", Map.of("organizationId", "org_globex"));
            assertThat(switched.isError()).as(text(switched)).isFalse();
            assertThat(result(call(alice, "contacts_list", Map.of("limit", 1))).getJsonArray("items").getJsonObject(0)
                    .getString("id")).startsWith("ct_globex_");
            assertThat(result(call(alice, "organizations_list", Map.of())).getJsonArray("items")).hasSize(2);
        } finally {
            Gateway.membership("usr_alice", "org_globex", true);
            call(alice, "organizations_switch", Map.of("organizationId", "org_acme"));
            alice.disconnect();
        }
    }

    @Test
    void anAgencyHeaderNarrowsAndIsRefusedWithoutAccess() {
        McpStreamableTestClient agency = Gateway.streamable(Gateway.AGENCY, Map.of("X-Agency-ID", "agency_northwind"));
        McpStreamableTestClient masterNarrowed = Gateway.streamable(Gateway.MASTER, Map.of("X-Agency-ID", "agency_northwind"));
        McpStreamableTestClient alice = Gateway.streamable(Gateway.ALICE, Map.of("X-Agency-ID", "agency_northwind"));
        McpStreamableTestClient unknownAgency = Gateway.streamable(Gateway.MASTER, Map.of("X-Agency-ID", "agency_other"));
        try {
            assertThat(result(call(agency, "organizations_list", Map.of())).getJsonArray("items")).hasSize(2);
            JsonObject current = result(call(agency, "organizations_current", Map.of()));
            assertThat(current.getString("agencyId")).isEqualTo("agency_northwind");
            JsonArray narrowed = result(call(masterNarrowed, "organizations_list", Map.of())).getJsonArray("items");
            assertThat(narrowed.stream().map(o -> ((JsonObject) o).getString("id"))).containsExactly("org_acme", "org_globex");
            assertThat(call(masterNarrowed, "organizations_switch", Map.of("organizationId", "org_initech")).isError()).isTrue();
            assertThat(error(alice, "contacts_list", Map.of()).message()).contains("agency_northwind");
            assertThat(error(unknownAgency, "contacts_list", Map.of()).code()).isEqualTo(-32003);
        } finally {
            agency.disconnect();
            masterNarrowed.disconnect();
            alice.disconnect();
            unknownAgency.disconnect();
        }
    }
}
