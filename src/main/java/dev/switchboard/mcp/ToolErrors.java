package dev.switchboard.mcp;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.observability.ToolOutcome;
import dev.switchboard.tenancy.TenancyException;
import dev.switchboard.tenancy.Tenancy;
import dev.switchboard.workspace.UpstreamFailure;
import io.quarkiverse.mcp.server.Cancellation;
import io.quarkiverse.mcp.server.McpException;
import io.quarkiverse.mcp.server.ToolResponse;
import io.smallrye.mutiny.Uni;

/**
 * Turns every way a tool call can fail into what the client should get: a JSON-RPC error for authentication and
 * organization problems (-32001, -32002, -32003), otherwise a tool result with isError and a message that says what
 * went wrong and what to do. Nothing of the upstream's address or internals, and no stack trace, reaches the client.
 */
@ApplicationScoped
class ToolErrors {

    static final int AUTHENTICATION_REQUIRED = -32001;
    static final int INVALID_KEY = -32002;
    static final int NO_ACTIVE_ORGANIZATION = -32003;
    static final int INVALID_PARAMS = -32602;

    private static final Logger LOG = Logger.getLogger(ToolErrors.class);

    /** The answer to a failed call and how it is counted. */
    record Handled(ToolResponse response, McpException protocolError, Throwable passThrough, ToolOutcome outcome) {
    }

    private final Tenancy tenancy;
    private final int circuitDelaySeconds;
    private final int requestTimeoutSeconds;

    ToolErrors(Tenancy tenancy, GatewayConfig config) {
        this.tenancy = tenancy;
        this.circuitDelaySeconds = config.circuit().delaySeconds();
        this.requestTimeoutSeconds = config.requestTimeoutSeconds();
    }

    /**
     * @param caller the admitted caller, null when the failure came before admission
     * @param attempt the operation being called and its idempotency key, when there was one
     */
    Uni<Handled> handle(Throwable failure, Tenancy.Caller caller, Optional<OperationRunner.Attempt> attempt, String requestId) {
        var organization = caller == null ? null : caller.organization();
        if (failure instanceof Cancellation.OperationCancellationException) {
            return Uni.createFrom().item(new Handled(null, null, failure, ToolOutcome.CANCELLED));
        }
        if (failure instanceof McpException mcp) {
            return Uni.createFrom().item(new Handled(null, mcp, null, ToolOutcome.AUTH_ERROR));
        }
        if (failure instanceof TenancyException tenancyFailure) {
            return Uni.createFrom().item(switch (tenancyFailure.reason()) {
                case AUTHENTICATION_REQUIRED -> protocol(AUTHENTICATION_REQUIRED, tenancyFailure.getMessage());
                case INVALID_KEY -> protocol(INVALID_KEY, tenancyFailure.getMessage());
                case NO_ACTIVE_ORGANIZATION -> protocol(NO_ACTIVE_ORGANIZATION, tenancyFailure.getMessage());
                case RATE_LIMITED -> tool(organization, tenancyFailure.getMessage(), ToolOutcome.RATE_LIMITED);
                case STATE_STORE_UNAVAILABLE -> tool(organization, tenancyFailure.getMessage(), ToolOutcome.STATE_STORE_UNAVAILABLE);
            });
        }
        if (failure instanceof ToolFailure toolFailure) {
            return Uni.createFrom().item(tool(organization, toolFailure.getMessage(), toolFailure.outcome()));
        }
        String operation = attempt.map(a -> a.operation().name()).orElse("the call");
        boolean write = attempt.map(a -> a.operation().write()).orElse(false);
        // a retry refused by the circuit breaker or the bulkhead can follow an attempt that did reach the workspace
        boolean alreadySent = write && attempt.map(OperationRunner.Attempt::reachedUpstream).orElse(false);
        if (failure instanceof UpstreamFailure.Rejected rejected) {
            if (rejected.status() == 401 && caller != null) {
                return tenancy.keyRefused(caller).replaceWith(protocol(INVALID_KEY, "Invalid or expired API key: the "
                        + "workspace no longer accepts it. Create a new key and update the Authorization header."));
            }
            if (rejected.status() == 403 && caller != null) {
                return tenancy.organizationRefused(caller).replaceWith(protocol(NO_ACTIVE_ORGANIZATION, "This API key may no "
                        + "longer act on " + organization.name() + " (" + organization.id() + "); nothing was done. Its cached "
                        + "access" + (caller.active().source().name().equals("OVERRIDE") ? " and the organization override were"
                                : " was") + " cleared: call organizations_list to see what it reaches now."));
            }
            return Uni.createFrom().item(tool(organization, rejection(operation, rejected), ToolOutcome.TOOL_ERROR));
        }
        String mayHaveHappened = write ? attempt.flatMap(OperationRunner.Attempt::idempotencyKey)
                .map(key -> " The workspace may have carried out the request. To retry safely, call again with "
                        + "idempotencyKey \"" + key + "\": the workspace will not do it twice.")
                .orElse(" The workspace may have carried out the request; check before retrying.") : " Retry in a few seconds.";
        if (failure instanceof UpstreamFailure.Throttled throttled) {
            long seconds = throttled.retryAfter().map(d -> Math.max(1, d.getSeconds())).orElse(5L);
            return Uni.createFrom().item(tool(organization, "The workspace API is rate limiting requests. "
                    + (alreadySent ? "An earlier attempt of " + operation + " failed." + mayHaveHappened + " Wait " + seconds + " s first."
                            : operation + " was not carried out. Retry in " + seconds + " s."), ToolOutcome.UPSTREAM_ERROR));
        }
        if (failure instanceof UpstreamFailure.Unavailable unavailable) {
            String what = unavailable.status() > 0 ? "failed (HTTP " + unavailable.status() + ")" : unavailable.getMessage()
                    .replace("The workspace API ", "").replaceAll("\\.$", "");
            return Uni.createFrom().item(tool(organization, "The workspace API " + what + " while running " + operation + "."
                    + (unavailable.reachedUpstream() || alreadySent ? mayHaveHappened : " Nothing was done. Retry in a few seconds."),
                    ToolOutcome.UPSTREAM_ERROR));
        }
        if (failure instanceof TimeoutException) {
            return Uni.createFrom().item(tool(organization, "The workspace API did not answer " + operation + " within "
                    + requestTimeoutSeconds + " s." + mayHaveHappened, ToolOutcome.TIMEOUT));
        }
        if (failure instanceof CircuitBreakerOpenException) {
            return Uni.createFrom().item(tool(organization, "The workspace API is unavailable: recent calls failed, so the "
                    + "gateway's circuit breaker is not sending calls to it for about " + circuitDelaySeconds + " s. "
                    + (alreadySent ? "An earlier attempt of " + operation + " failed." + mayHaveHappened
                            : operation + " was not carried out; retry after that."),
                    ToolOutcome.CIRCUIT_OPEN));
        }
        if (failure instanceof BulkheadException) {
            return Uni.createFrom().item(tool(organization, "The gateway is at its limit of concurrent workspace requests. "
                    + (alreadySent ? "An earlier attempt of " + operation + " failed." + mayHaveHappened
                            : operation + " was not carried out. Retry in a moment."),
                    ToolOutcome.OVERLOADED));
        }
        LOG.errorf(failure, "Tool call %s failed unexpectedly (request %s)", operation, requestId);
        return Uni.createFrom().item(tool(organization, "Internal error while running " + operation + " (request " + requestId
                + "); the details are in the gateway's log." + (write ? mayHaveHappened : ""), ToolOutcome.INTERNAL_ERROR));
    }

    /** The workspace's own explanation, with the fields at fault and the values they allow. */
    private static String rejection(String operation, UpstreamFailure.Rejected rejected) {
        StringBuilder message = new StringBuilder("The workspace refused ").append(operation).append(" (")
                .append(rejected.code()).append("): ").append(rejected.getMessage());
        JsonNode fields = rejected.details().path("fields");
        if (fields.size() > 1) {
            for (JsonNode field : fields) {
                message.append(" [").append(field.path("field").asText()).append("] ").append(field.path("message").asText());
            }
        } else if (fields.size() == 1 && !message.toString().contains("'" + fields.get(0).path("field").asText() + "'")) {
            message.append(" (argument: ").append(fields.get(0).path("field").asText()).append(')');
        }
        JsonNode mailboxes = rejected.details().path("mailboxes");
        if (mailboxes.isArray() && !mailboxes.isEmpty() && !message.toString().contains(mailboxes.get(0).asText())) {
            message.append(" Mailboxes: ").append(mailboxes.toString());
        }
        if (rejected.status() == 404) {
            message.append(" Check the id with the matching list operation.");
        } else if (rejected.status() == 400 || rejected.status() == 422) {
            message.append(" Correct the arguments and call again.");
        }
        return message.toString();
    }

    private static Handled protocol(int code, String message) {
        return new Handled(null, new McpException(message, code), null, ToolOutcome.AUTH_ERROR);
    }

    private static Handled tool(dev.switchboard.tenancy.Identity.OrganizationRef organization, String message,
            ToolOutcome outcome) {
        return new Handled(Envelope.error(organization, message), null, null, outcome);
    }
}
