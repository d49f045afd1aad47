package dev.switchboard.observability;

import java.time.Duration;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

/**
 * One line per tool call, with its outcome: request id, tool, operation, organization, outcome and duration. Written to
 * an asynchronous handler (quarkus.log.console.async), so that a call does not wait for the terminal; never a key,
 * never arguments.
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
