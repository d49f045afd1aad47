package dev.switchboard.mcp;

import io.quarkiverse.mcp.server.ToolResponse;

/** A call that cannot go on without its client's input: answered with the question ({@link InputRound#ask}). */
final class InputNeeded extends RuntimeException {

    private final transient ToolResponse question;

    InputNeeded(ToolResponse question) {
        super("input needed from the client", null, false, false);
        this.question = question;
    }

    ToolResponse question() {
        return question;
    }
}
