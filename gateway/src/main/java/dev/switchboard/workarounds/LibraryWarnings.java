package dev.switchboard.workarounds;

import java.util.List;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Drops the start-up warnings that libraries print about a configuration which is correct here, so that a correct
 * start prints no warning and a newcomer never reads one as misconfiguration (quarkus.log.console.filter and
 * quarkus.log.file.filter name it). Each entry says why the warning does not apply; anything else passes.
 * {@code StartupIT} starts the packaged gateway (in-process store and Redis) and fails on any WARN line, so that a
 * library upgrade that changes a message, or a new warning, is seen.
 */
@LibraryWorkaround(entry = 9)
@LoggingFilter(name = "library-warnings")
public final class LibraryWarnings implements Filter {

    /** A warning of one logger whose message contains one of the texts. */
    record Known(String logger, List<String> texts, String why) {
        boolean matches(String loggerName, String message) {
            return logger.equals(loggerName) && texts.stream().anyMatch(message::contains);
        }
    }

    static final List<Known> KNOWN = List.of(
            new Known("io.quarkiverse.mcp.server.http.runtime.StreamableHttpMcpMessageHandler",
                    List.of("Cross-Origin Resource Sharing (CORS) filter must be enabled"),
                    "quarkus-mcp-server 1.13 expects Quarkus's CORS filter; edge/OriginPolicy answers CORS for every route "
                            + "instead (quarkus.http.cors.enabled=false on purpose)."),
            new Known("io.micrometer.core.instrument.MeterRegistry",
                    List.of("MeterId{name='vertx.http.connections.", "MeterId{name='redis.pool.",
                            "MeterId{name='redis.active.connections'"),
                    "Quarkus 3.34 registers the same gauge twice: the HTTP connection gauges once per HTTP server "
                            + "verticle (quarkus.http.limits.max-connections is set), and the Redis client's gauges because "
                            + "the client is initialized by two build steps (the second, discarded client registers them "
                            + "again). The first registration is the one exported; nothing is lost. (The Netty binder, "
                            + "which registered two event-loop groups under one id, is off: "
                            + "quarkus.micrometer.binder.netty.enabled=false.)"));

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record.getLevel().intValue() != Level.WARNING.intValue() || record.getLoggerName() == null) {
            return true;
        }
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        if (message == null) {
            return true;
        }
        return KNOWN.stream().noneMatch(known -> known.matches(record.getLoggerName(), message));
    }
}
