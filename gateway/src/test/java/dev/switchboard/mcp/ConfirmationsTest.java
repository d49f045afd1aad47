package dev.switchboard.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Gateway;
import dev.switchboard.support.Stateless;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Before an operation that deletes or sends in bulk, a client that can ask its user is asked, with the count the call
 * will affect; the call goes on only when the user accepts, and only for the arguments the question was about. A
 * client that cannot ask is served as before.
 */
@QuarkusTest
class ConfirmationsTest {

    private static JsonArray newContacts(int count) {
        JsonArray ids = new JsonArray();
        for (int i = 0; i < count; i++) {
            JsonObject created = Stateless.call(Gateway.ALICE, "tools/call", Stateless.runOperation("contacts_create",
                    new JsonObject().put("email", "confirm-" + System.nanoTime() + "@example.test")), new JsonObject());
            ids.add(created.getJsonObject("result").getJsonObject("structuredContent").getJsonObject("result").getString("id"));
        }
        return ids;
    }

    private static JsonObject delete(JsonArray ids, JsonObject answer, String state, JsonObject capabilities) {
        JsonObject params = Stateless.runOperation("contacts_bulk_delete", new JsonObject().put("ids", ids));
        if (answer != null) {
            params.put("inputResponses", new JsonObject().put("confirm", answer)).put("requestState", state);
        }
        return Stateless.call(Gateway.ALICE, "tools/call", params, capabilities);
    }

    private static JsonObject yes() {
        return new JsonObject().put("action", "accept").put("content", new JsonObject().put("confirm", true));
    }

    @Test
    void aBulkDeleteIsConfirmedWithItsCountFirst() {
        JsonArray ids = newContacts(3);
        JsonObject asked = delete(ids, null, null, Stateless.canAsk()).getJsonObject("result");
        assertThat(asked.getString("resultType")).isEqualTo("input_required");
        String message = asked.getJsonObject("inputRequests").getJsonObject("confirm").getJsonObject("params").getString("message");
        assertThat(message).contains("3 contacts").contains("Acme Inc");
        String state = asked.getString("requestState");

        // declined: nothing is deleted
        JsonObject declined = delete(ids, new JsonObject().put("action", "decline"), state, Stateless.canAsk()).getJsonObject("result");
        assertThat(declined.getBoolean("isError")).isTrue();
        assertThat(declined.getJsonArray("content").getJsonObject(0).getString("text")).contains("Nothing was done");
        // the answer to one question does not confirm other arguments: they are asked about again
        JsonObject other = delete(new JsonArray().add(ids.getValue(0)), yes(), state, Stateless.canAsk()).getJsonObject("result");
        assertThat(other.getString("resultType")).isEqualTo("input_required");
        assertThat(other.getJsonObject("inputRequests").encode()).contains("1 contacts");

        JsonObject deleted = delete(ids, yes(), state, Stateless.canAsk()).getJsonObject("result");
        assertThat(deleted.getBoolean("isError")).isFalse();
        assertThat(deleted.getJsonObject("structuredContent").getJsonObject("result").getInteger("deleted")).isEqualTo(3);
    }

    @Test
    void aClientThatCannotAskIsServedAsBefore() {
        JsonArray ids = newContacts(1);
        JsonObject deleted = delete(ids, null, null, new JsonObject()).getJsonObject("result");
        assertThat(deleted.getString("resultType")).isEqualTo("complete");
        assertThat(deleted.getJsonObject("structuredContent").getJsonObject("result").getInteger("deleted")).isEqualTo(1);
    }

    @Test
    void aCampaignSendStatesHowManyRecipients() {
        JsonObject campaigns = Stateless.call(Gateway.ALICE, "tools/call", Stateless.runOperation("campaigns_list",
                new JsonObject()), new JsonObject()).getJsonObject("result").getJsonObject("structuredContent").getJsonObject("result");
        JsonObject draft = campaigns.getJsonArray("items").stream().map(JsonObject.class::cast)
                .filter(c -> "draft".equals(c.getString("status")) && c.getString("segmentId") != null).findFirst().orElseThrow();
        JsonObject asked = Stateless.call(Gateway.ALICE, "tools/call", Stateless.runOperation("campaigns_send",
                new JsonObject().put("campaignId", draft.getString("id"))), Stateless.canAsk()).getJsonObject("result");
        assertThat(asked.getString("resultType")).isEqualTo("input_required");
        assertThat(asked.getJsonObject("inputRequests").getJsonObject("confirm").getJsonObject("params").getString("message"))
                .matches("(?s)Send campaign cmp_\\w+ now to \\d+ recipients in Acme Inc.*");
    }
}
