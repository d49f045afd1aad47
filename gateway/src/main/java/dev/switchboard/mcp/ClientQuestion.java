package dev.switchboard.mcp;

import java.time.Duration;
import java.util.Locale;

import io.quarkiverse.mcp.server.Elicitation;
import io.quarkiverse.mcp.server.ElicitationRequest;
import io.quarkiverse.mcp.server.ElicitationResponse;
import io.quarkiverse.mcp.server.ToolManager.ToolArguments;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import dev.switchboard.workarounds.LibraryWorkaround;

/**
 * How a tool call asks its client a question ({@code elicitation/create}), in the era the client speaks: in the
 * stateless era as a multi round-trip result that the client answers by calling again; in the handshake era as a
 * request in the client's session, answered while the call waits. Either way the answer is {@code {action, content}}.
 */
record ClientQuestion(InputRound round, Elicitation session) {

    /** How long a session's user may take to answer before the call gives up (and does nothing). */
    private static final Duration ANSWER_WITHIN = Duration.ofMinutes(5);

    static ClientQuestion of(ToolArguments protocol) {
        return new ClientQuestion(InputRound.of(protocol == null ? null : protocol.meta()),
                protocol == null ? null : protocol.elicitation());
    }

    /** Whether the client declared that it can ask its user (elicitation, in either era). */
    boolean canAsk() {
        return round.clientCan("elicitation") || (session != null && session.isSupported());
    }

    /**
     * Asks {@code question} (an {@code elicitation/create} request). Stateless era: fails with {@link InputNeeded}, which
     * the edge answers as {@code input_required} to resume with {@code state}; the answer then comes in the next
     * round's responses under {@code key}. Handshake era: the answer.
     */
    Uni<JsonObject> ask(String key, JsonObject question, JsonObject state) {
        if (round.clientCan("elicitation")) {
            return Uni.createFrom().failure(new InputNeeded(InputRound.ask(new JsonObject().put(key, question), state)));
        }
        JsonObject params = question.getJsonObject("params");
        JsonObject schema = params.getJsonObject("requestedSchema");
        JsonArray required = schema.getJsonArray("required", new JsonArray());
        ElicitationRequest.Builder request = session.requestBuilder().setMessage(params.getString("message"))
                .setTimeout(ANSWER_WITHIN);
        schema.getJsonObject("properties").forEach(property -> request.addSchemaProperty(property.getKey(),
                new AsWritten((JsonObject) property.getValue(), required.contains(property.getKey()))));
        return request.build().send().map(ClientQuestion::asAnswer)
                .onFailure(failure -> !(failure instanceof ToolFailure)).transform(failure -> ToolFailure.invalid(
                        "Your client did not answer the question (" + params.getString("message") + "), so nothing was done."));
    }

    private static JsonObject asAnswer(ElicitationResponse response) {
        JsonObject answer = new JsonObject().put("action", response.action().toString().toLowerCase(Locale.ROOT));
        return response.content() == null ? answer : answer.put("content", new JsonObject(response.content().asMap()));
    }

    /**
     * A schema property sent as written: the library's own schema types cannot say everything the protocol can
     * (defaults, titled and multi-select enums), and the question is already JSON.
     */
    @LibraryWorkaround(entry = 7)
    record AsWritten(JsonObject schema, boolean required) implements ElicitationRequest.PrimitiveSchema {

        @Override
        public JsonObject asJson() {
            return schema.copy();
        }
    }
}
