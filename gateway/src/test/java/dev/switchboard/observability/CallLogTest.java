package dev.switchboard.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The call log line: one line whatever a client put in its values, bounded, and its fields in the MDC for JSON logs. */
class CallLogTest {

    private final List<ExtLogRecord> records = new ArrayList<>();
    private final ExtHandler capture = new ExtHandler() {
        @Override
        protected void doPublish(ExtLogRecord record) {
            record.copyMdc();
            records.add(record);
        }
    };
    private Logger logger;

    @BeforeEach
    void listen() {
        logger = LogContext.getLogContext().getLogger("switchboard.tool-calls");
        logger.addHandler(capture);
    }

    @AfterEach
    void stop() {
        logger.removeHandler(capture);
    }

    @Test
    void aValueCannotStartALineOrAddAField() {
        new CallLog().record("7\n2026-12-01 INFO tool_call request_id=x outcome=ok", "contacts_list", "contacts_list",
                "org_acme organization=org_globex", ToolOutcome.AUTH_ERROR, Duration.ofMillis(3));
        assertThat(records).hasSize(1);
        String line = records.get(0).getFormattedMessage();
        assertThat(line).doesNotContain("\n").doesNotContain("\r");
        assertThat(line.split(" ")).filteredOn(field -> field.startsWith("outcome=")).containsExactly("outcome=auth_error");
        assertThat(line.split(" ")).filteredOn(field -> field.startsWith("organization=")).hasSize(1);
    }

    @Test
    void aHugeValueMakesAShortLine() {
        new CallLog().record("x".repeat(5_000_000), "t".repeat(100_000), "-", "-", ToolOutcome.OK, Duration.ZERO);
        assertThat(records.get(0).getFormattedMessage().length()).isLessThan(2048);
    }

    @Test
    void theFieldsAreInTheMdcOfTheLine() {
        new CallLog().record("42", "contacts_list", "contacts_list", "org_acme", ToolOutcome.OK, Duration.ofMillis(12));
        Map<String, String> mdc = records.get(0).getMdcCopy();
        assertThat(mdc).containsEntry("request_id", "42").containsEntry("tool", "contacts_list")
                .containsEntry("organization", "org_acme").containsEntry("outcome", "ok").containsEntry("duration_ms", "12");
        assertThat(org.jboss.logging.MDC.get("tool")).as("cleared after the line").isNull();
    }
}
