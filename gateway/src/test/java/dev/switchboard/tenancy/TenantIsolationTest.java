package dev.switchboard.tenancy;

import static dev.switchboard.support.Calls.call;
import static dev.switchboard.support.Calls.error;
import static dev.switchboard.support.Gateway.envelope;
import static dev.switchboard.support.Gateway.result;
import static dev.switchboard.support.Gateway.text;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.switchboard.support.Gateway;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkiverse.mcp.server.test.McpAssured.McpStreamableTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * Who may act on which organization (in-process state store): every demo key reaches exactly its organizations, no
 * argument, operation or mailbox reaches another, and a refused X-Company-ID lists what the key does reach.
 */
@QuarkusTest
class TenantIsolationTest {

    @Inject
    StateStore store;

    @BeforeEach
    void reset() {
        FreshTenancy.reset(store);
    }

    /**
     * Every demo key against every organization, pinned with X-Company-ID, with reads and writes of several groups:
     * reachable organizations answer with their own header and data, the others are refused with -32003, and a write
     * lands in exactly the organization it was made for.
     */
    @ParameterizedTest
    @CsvSource({
            "sbx_alice,org_acme,true", "sbx_alice,org_globex,true", "sbx_alice,org_initech,false",
            "sbx_bob,org_acme,false", "sbx_bob,org_globex,true", "sbx_bob,org_initech,false",
            "sbx_agency,org_acme,true", "sbx_agency,org_globex,true", "sbx_agency,org_initech,false",
            "sbx_legacy_initech,org_acme,false", "sbx_legacy_initech,org_globex,false", "sbx_legacy_initech,org_initech,true",
            "sbx_master,org_acme,true", "sbx_master,org_globex,true", "sbx_master,org_initech,true",
            "sbx_revoked,org_acme,false" })
    void eachKeyReachesExactlyItsOrganizations(String key, String organization, boolean reachable) {
        McpStreamableTestClient client = Gateway.streamable(key, Map.of("X-Company-ID", organization));
        try {
            if (!reachable) {
                int expected = key.equals(Gateway.REVOKED) ? -32002 : -32003;
                assertThat(error(client, "contacts_list", Map.of()).code()).isEqualTo(expected);
                assertThat(error(client, "contacts_create", Map.of("email", "x@example.com")).code()).isEqualTo(expected);
                assertThat(error(client, "crm_opportunities_list", Map.of()).code()).isEqualTo(expected);
                return;
            }
            ToolResponse list = call(client, "contacts_list", Map.of("limit", 100));
            assertThat(envelope(list).getJsonObject("organization").getString("id")).isEqualTo(organization);
            String prefix = "ct_" + organization.substring(4) + "_";
            assertThat(result(list).getJsonArray("items").stream().map(c -> ((JsonObject) c).getString("id")))
                    .allMatch(id -> id.startsWith(prefix));
            assertThat(text(call(client, "crm_opportunities_list", Map.of()))).startsWith("[organization] ")
                    .contains("(id: " + organization + ")");

            String email = "matrix-" + UUID.randomUUID() + "@example.com";
            ToolResponse created = call(client, "contacts_create", Map.of("email", email));
            assertThat(result(created).getString("id")).startsWith(prefix);
            for (String other : List.of("org_acme", "org_globex", "org_initech")) {
                int found = given().header("Authorization", "Bearer sbx_master").queryParam("email", email)
                        .get("/sandbox/v1/organizations/" + other + "/contacts").then().statusCode(200)
                        .extract().jsonPath().getList("items").size();
                assertThat(found).as("the contact exists in %s", other).isEqualTo(other.equals(organization) ? 1 : 0);
            }
            if (!organization.equals("org_initech")) {
                ToolResponse inbox = call(client, "inbox_threads_search", Map.of("accountId",
                        organization.equals("org_acme") ? "sales@acme.test" : "hello@globex.test", "query", "invoice"));
                assertThat(inbox.isError()).isFalse();
            }
        } finally {
            client.disconnect();
        }
    }

    @Test
    void noArgumentOrHeaderReachesAnotherOrganization() {
        McpStreamableTestClient bob = Gateway.streamable(Gateway.BOB);
        try {
            ToolResponse smuggled = call(bob, "contacts_list", Map.of("organizationId", "org_acme"));
            assertThat(smuggled.isError()).isTrue();
            assertThat(text(smuggled)).contains("'organizationId' is not a known argument");
            ToolResponse viaRun = call(bob, "run_operation", Map.of("operation", "contacts_get",
                    "arguments", Map.of("contactId", "ct_acme_0001")));
            assertThat(viaRun.isError()).isTrue();
            assertThat(text(viaRun)).startsWith("[organization] Globex Corporation").contains("not_found");
            ToolResponse otherMailbox = call(bob, "inbox_threads_search", Map.of("accountId", "sales@acme.test"));
            assertThat(otherMailbox.isError()).isTrue();
            assertThat(text(otherMailbox)).contains("hello@globex.test");
            assertThat(call(bob, "organizations_switch", Map.of("organizationId", "org_acme")).isError()).isTrue();
            assertThat(result(call(bob, "organizations_current", Map.of())).getJsonObject("organization").getString("id"))
                    .isEqualTo("org_globex");
        } finally {
            bob.disconnect();
        }
    }

    @Test
    void unreachableCompanyHeaderListsWhatTheKeyReaches() {
        McpStreamableTestClient client = Gateway.streamable(Gateway.BOB, Map.of("X-Company-ID", "org_acme"));
        try {
            String message = error(client, "contacts_list", Map.of()).message();
            assertThat(message).contains("org_acme").contains("org_globex (Globex Corporation)");
        } finally {
            client.disconnect();
        }
    }
}
