package dev.switchboard.observability;

import java.time.Duration;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

/**
 * One line per tool call, with its outcome: request id, tool, operation, organization, outcome and duration; never a
 * key, never arguments. Written by the console handler as it is: the asynchronous one (quarkus.log.console.async)
 * broke the records of Vert.x's own error logging, and one short line costs little next to the call.
 */
@Singleton
public class CallLog {

    private static final Logger LOG = Logger.getLogger("switchboard.tool-calls");

    public void record(String requestId, String tool, String operation, String organization, ToolOutcome outcome,
            Duration duration) {
        if (LOG.isInfoEnabled()) {
            LOG.infof("tool_call request_id=%s tool=%s operation=%s organization=%s outcome=%s duration_ms=%d", requestId,
                    tool, operation, organization, outcome.label(), duration.toMillis());
        }
    }
}
