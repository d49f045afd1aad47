package dev.switchboard.mcp;

import java.util.Optional;

import dev.switchboard.observability.ToolOutcome;
import dev.switchboard.tenancy.AccessLost;
import io.quarkiverse.mcp.server.McpException;
import io.quarkiverse.mcp.server.ToolResponse;

/** How a tool call ends, as the client gets it and as it is counted. */
sealed interface Answer {

    ToolOutcome outcome();

    /** The organization the call acted on, for the log line; "-" when none was decided. */
    String organizationId();

    /** A tool result: a success, or an error with isError that the model can act on. */
    record Result(ToolResponse response, ToolOutcome outcome, String organizationId) implements Answer {
    }

    /**
     * A JSON-RPC error (authentication, organization).
     *
     * @param accessLost what the workspace's refusal tells tenancy, when it does
     */
    record ProtocolError(McpException error, ToolOutcome outcome, Optional<AccessLost> accessLost, String organizationId)
            implements Answer {
    }

    /** The client cancelled the call: it gets no answer at all. */
    record Cancelled(Throwable cancellation) implements Answer {
        @Override
        public ToolOutcome outcome() {
            return ToolOutcome.CANCELLED;
        }

        @Override
        public String organizationId() {
            return "-";
        }
    }
}
