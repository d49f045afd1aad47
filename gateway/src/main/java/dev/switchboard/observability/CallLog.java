package dev.switchboard.observability;

import java.time.Duration;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * One line per tool call, with its outcome: request id, tool, operation, organization, outcome and duration; never a
 * key, never arguments. The same fields are in the MDC while the line is written, so that JSON logs
 * (MCP_LOG_JSON=true) carry them as fields. Every value a client chose passes {@link ClientText}: no request can forge a
 * line or a field, or make the line long. Written by the console handler as it is: the asynchronous one
 * (quarkus.log.console.async) broke the records of Vert.x's own error logging, and one short line costs little next to
 * the call.
 */
@Singleton
public class CallLog {

    private static final Logger LOG = Logger.getLogger("switchboard.tool-calls");
    private static final String[] FIELDS = { "request_id", "tool", "operation", "organization", "outcome", "duration_ms" };

    public void record(String requestId, String tool, String operation, String organization, ToolOutcome outcome,
            Duration duration) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        String[] values = { ClientText.log(requestId), ClientText.log(tool), ClientText.log(operation),
                ClientText.log(organization), outcome.label(), String.valueOf(duration.toMillis()) };
        for (int i = 0; i < FIELDS.length; i++) {
            MDC.put(FIELDS[i], values[i]);
        }
        try {
            LOG.infof("tool_call request_id=%s tool=%s operation=%s organization=%s outcome=%s duration_ms=%s",
                    (Object[]) values);
        } finally {
            for (String field : FIELDS) {
                MDC.remove(field);
            }
        }
    }
}
