package dev.switchboard.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Gateway;
import dev.switchboard.support.Stateless;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * A client's resource browser and argument completion: the caller's organizations, mailboxes and their labels, a
 * contact by template, and completion of the prompts' organization argument, each read as the caller, for the
 * organization its key and headers choose, and never another one's.
 */
@QuarkusTest
class ResourcesTest {

    private static JsonObject read(String key, String uri, Map<String, String> headers) {
        return Stateless.call(key, "resources/read", new JsonObject().put("uri", uri), new JsonObject(), headers);
    }

    private static JsonObject contents(JsonObject answer) {
        return new JsonObject(answer.getJsonObject("result").getJsonArray("contents").getJsonObject(0).getString("text"));
    }

    @Test
    void theResourcesAndTemplatesAreListed() {
        assertThat(Stateless.call(Gateway.ALICE, "resources/list", new JsonObject(), new JsonObject()).getJsonObject("result")
                .getJsonArray("resources").stream().map(r -> ((JsonObject) r).getString("uri")))
                .contains("workspace://organizations", "workspace://organization", "workspace://mailboxes");
        assertThat(Stateless.call(Gateway.ALICE, "resources/templates/list", new JsonObject(), new JsonObject())
                .getJsonObject("result").getJsonArray("resourceTemplates").stream().map(r -> ((JsonObject) r).getString("uriTemplate")))
                .contains("workspace://mailboxes/{accountId}/labels", "workspace://contacts/{contactId}");
    }

    @Test
    void aResourceIsReadForTheOrganizationTheCallActsOn() {
        JsonObject acme = contents(read(Gateway.ALICE, "workspace://mailboxes", Map.of()));
        assertThat(acme.getJsonObject("organization").getString("id")).isEqualTo("org_acme");
        assertThat(acme.getJsonObject("result").encode()).contains("sales@acme.test").doesNotContain("globex");
        JsonObject globex = contents(read(Gateway.ALICE, "workspace://mailboxes", Map.of("X-Company-ID", "org_globex")));
        assertThat(globex.getJsonObject("result").encode()).contains("hello@globex.test").doesNotContain("acme.test");
        assertThat(contents(read(Gateway.ALICE, "workspace://mailboxes/sales@acme.test/labels", Map.of()))
                .getJsonObject("result").encode()).contains("Label_invoice");
    }

    @Test
    void whatDoesNotExistOrIsNotTheCallersIsRefused() {
        JsonObject missing = read(Gateway.ALICE, "workspace://contacts/ct_nope", Map.of()).getJsonObject("error");
        assertThat(missing.getInteger("code")).isEqualTo(-32002);
        assertThat(missing.getString("message")).contains("ct_nope");
        // Bob's organization is not Acme: Acme's mailbox is not his to read
        assertThat(read(Gateway.BOB, "workspace://mailboxes/sales@acme.test/labels", Map.of()).containsKey("result")).isFalse();
        assertThat(read(null, "workspace://mailboxes", Map.of()).getJsonObject("error").getInteger("code")).isEqualTo(-32001);
    }

    @Test
    void promptArgumentsCompleteWithTheCallersOwnIds() {
        JsonObject params = new JsonObject().put("ref", new JsonObject().put("type", "ref/prompt").put("name", "organization_check_in"))
                .put("argument", new JsonObject().put("name", "organization").put("value", "org_"));
        assertThat(Stateless.call(Gateway.ALICE, "completion/complete", params, new JsonObject()).getJsonObject("result")
                .getJsonObject("completion").getJsonArray("values")).containsExactlyInAnyOrder("org_acme", "org_globex");
        assertThat(Stateless.call(Gateway.BOB, "completion/complete", params, new JsonObject()).getJsonObject("result")
                .getJsonObject("completion").getJsonArray("values")).containsExactly("org_globex");
    }

    /** A template's mailbox and contact variables complete with the caller's own ids, in both eras. */
    @Test
    void templateVariablesCompleteWithTheCallersOwnIds() {
        JsonObject mailbox = new JsonObject().put("ref", new JsonObject().put("type", "ref/resource")
                .put("uri", "workspace://mailboxes/{accountId}/threads/{threadId}"))
                .put("argument", new JsonObject().put("name", "accountId").put("value", "s"));
        assertThat(Stateless.call(Gateway.ALICE, "completion/complete", mailbox, new JsonObject()).getJsonObject("result")
                .getJsonObject("completion").getJsonArray("values")).containsExactlyInAnyOrder("sales@acme.test", "support@acme.test");
        assertThat(Stateless.call(Gateway.BOB, "completion/complete", mailbox, new JsonObject()).getJsonObject("result")
                .getJsonObject("completion").getJsonArray("values")).isEmpty();

        JsonObject contact = new JsonObject().put("jsonrpc", "2.0").put("id", 7).put("method", "completion/complete")
                .put("params", new JsonObject().put("ref", new JsonObject().put("type", "ref/resource")
                        .put("uri", "workspace://contacts/{contactId}"))
                        .put("argument", new JsonObject().put("name", "contactId").put("value", "ct_acme_000")));
        String handshakeEra = io.restassured.RestAssured.given().contentType("application/json")
                .header("Accept", "application/json, text/event-stream").header("MCP-Protocol-Version", "2025-11-25")
                .header("Authorization", "Bearer " + Gateway.ALICE).body(contact.encode()).post("/mcp").then().statusCode(200)
                .extract().asString();
        JsonObject values = new JsonObject(handshakeEra.substring(handshakeEra.indexOf('{')));
        assertThat(values.getJsonObject("result").getJsonObject("completion").getJsonArray("values").getList())
                .isNotEmpty().allSatisfy(id -> assertThat((String) id).startsWith("ct_acme_000"));
        // a name finds the contact's id too, only in the caller's organization
        JsonObject byName = new JsonObject().put("ref", new JsonObject().put("type", "ref/resource")
                .put("uri", "workspace://contacts/{contactId}")).put("argument", new JsonObject().put("name", "contactId")
                        .put("value", "example"));
        assertThat(Stateless.call(Gateway.ALICE, "completion/complete", byName, new JsonObject()).getJsonObject("result")
                .getJsonObject("completion").getJsonArray("values").getList()).isNotEmpty()
                .allSatisfy(id -> assertThat((String) id).startsWith("ct_acme_"));
    }
}
