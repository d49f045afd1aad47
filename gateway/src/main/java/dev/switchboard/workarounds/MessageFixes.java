package dev.switchboard.workarounds;

import java.util.Objects;

import io.vertx.core.json.JsonObject;

/** Changes to a checked JSON-RPC message without which the MCP library would answer it wrongly or not at all. */
public final class MessageFixes {

    private MessageFixes() {
    }

    /**
     * Both fixes a message needs before the library takes it.
     *
     * @return whether the message was changed (its body must then be written again)
     */
    public static boolean apply(JsonObject message) {
        boolean completion = templateCompletion(message);
        return withoutNullArguments(message) || completion;
    }

    /**
     * The library cannot take a {@code null} argument value (in any message's {@code params.arguments}): an omitted
     * argument is what the client meant.
     */
    @LibraryWorkaround(entry = 2)
    static boolean withoutNullArguments(JsonObject message) {
        if (message.getValue("params") instanceof JsonObject params && params.getValue("arguments") instanceof JsonObject arguments
                && arguments.getMap().containsValue(null)) {
            arguments.getMap().values().removeIf(Objects::isNull);
            return true;
        }
        return false;
    }

    /**
     * The library files a completion of a resource template's variable that was registered at run time under the
     * template "null" (it names the template from build-time metadata only), while a request is looked up by its URI
     * template: a request's reference is therefore sent on without its URI, so that both meet. A variable then
     * completes alike in every template that has it.
     */
    @LibraryWorkaround(entry = 3)
    static boolean templateCompletion(JsonObject message) {
        if ("completion/complete".equals(message.getValue("method")) && message.getValue("params") instanceof JsonObject params
                && params.getValue("ref") instanceof JsonObject ref && "ref/resource".equals(ref.getValue("type"))) {
            ref.remove("uri");
            return true;
        }
        return false;
    }
}
