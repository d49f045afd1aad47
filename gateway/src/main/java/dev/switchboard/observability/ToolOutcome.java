package dev.switchboard.observability;

import java.util.Locale;

/** How a tool call ended, as counted in metrics and written in the call log. */
public enum ToolOutcome {
    OK,
    TOOL_ERROR,
    AUTH_ERROR,
    RATE_LIMITED,
    UPSTREAM_ERROR,
    TIMEOUT,
    CIRCUIT_OPEN,
    OVERLOADED,
    CANCELLED,
    /** The call asked its client for input (stateless era) and is resumed by the client's retry. */
    INPUT_REQUIRED,
    /** The call became a task (tasks extension): it runs again in the task, where it is counted once more. */
    TASK,
    STATE_STORE_UNAVAILABLE,
    INTERNAL_ERROR;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
