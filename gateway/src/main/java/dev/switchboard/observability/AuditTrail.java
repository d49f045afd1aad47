package dev.switchboard.observability;

import java.time.Instant;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.vertx.core.json.JsonObject;

/**
 * One structured event per write (a tool call that may change the workspace), on its own logger
 * ({@code switchboard.audit}), for shipping to a SIEM: when, who (an API key's keyed digest, or the OAuth issuer and
 * user), the organization, the tool and operation, the idempotency key and the outcome. Never a key, a token or an
 * argument's value; every value a client chose passes {@link ClientText}.
 */
@Singleton
public class AuditTrail {

    /** The logger an operator routes to the audit store. */
    public static final String LOGGER = "switchboard.audit";
    private static final Logger LOG = Logger.getLogger(LOGGER);

    public void write(String who, String organization, String tool, String operation, Optional<String> idempotencyKey,
            ToolOutcome outcome) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        JsonObject event = new JsonObject().put("event", "write").put("time", Instant.now().toString())
                .put("who", ClientText.log(who)).put("organization", ClientText.log(organization))
                .put("tool", ClientText.log(tool)).put("operation", ClientText.log(operation))
                .put("idempotencyKey", idempotencyKey.map(ClientText::log).orElse(null)).put("outcome", outcome.label());
        LOG.info(event.encode());
    }
}
