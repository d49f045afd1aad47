package dev.switchboard.mcp;

import dev.switchboard.observability.ToolOutcome;

/** A failure the model can act on: answered as a tool result with isError, never as a protocol error. */
final class ToolFailure extends RuntimeException {

    private final ToolOutcome outcome;

    ToolFailure(ToolOutcome outcome, String message) {
        super(message, null, false, false);
        this.outcome = outcome;
    }

    static ToolFailure invalid(String message) {
        return new ToolFailure(ToolOutcome.TOOL_ERROR, message);
    }

    ToolOutcome outcome() {
        return outcome;
    }
}
