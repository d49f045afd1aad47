package dev.switchboard.mcp;

import dev.switchboard.observability.ToolOutcome;

/** A failure the model can act on: answered as a tool result with isError, never as a protocol error. */
final class ToolFailure extends RuntimeException {

    private final ToolOutcome outcome;
    private final boolean named;

    ToolFailure(ToolOutcome outcome, String message) {
        this(outcome, message, false);
    }

    private ToolFailure(ToolOutcome outcome, String message, boolean named) {
        super(message, null, false, false);
        this.outcome = outcome;
        this.named = named;
    }

    static ToolFailure invalid(String message) {
        return new ToolFailure(ToolOutcome.TOOL_ERROR, message);
    }

    /** An invalid call whose message already names tools and operations as they are called ({@link ToolNames}). */
    static ToolFailure invalidNamed(String message) {
        return new ToolFailure(ToolOutcome.TOOL_ERROR, message, true);
    }

    /** Whether the message names things as they are called already, so that it must not be rewritten again. */
    boolean named() {
        return named;
    }

    ToolOutcome outcome() {
        return outcome;
    }
}
