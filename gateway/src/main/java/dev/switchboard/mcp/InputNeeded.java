package dev.switchboard.mcp;

import dev.switchboard.observability.ToolOutcome;
import io.quarkiverse.mcp.server.ToolResponse;

/**
 * A call that cannot give its result now: it needs its client's input ({@link InputRound#ask}), or it runs as a task
 * ({@link InputRound#runAsTask}). Answered with that response as it is.
 */
final class InputNeeded extends RuntimeException {

    private final transient ToolResponse question;
    private final ToolOutcome outcome;

    InputNeeded(ToolResponse question) {
        this(question, ToolOutcome.INPUT_REQUIRED);
    }

    private InputNeeded(ToolResponse question, ToolOutcome outcome) {
        super("input needed from the client", null, false, false);
        this.question = question;
        this.outcome = outcome;
    }

    /** The call runs as a task: the edge makes one and calls again in it. */
    static InputNeeded runsAsTask() {
        return new InputNeeded(InputRound.runAsTask(), ToolOutcome.TASK);
    }

    ToolResponse question() {
        return question;
    }

    ToolOutcome outcome() {
        return outcome;
    }
}
