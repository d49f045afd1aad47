package dev.switchboard.mcp;

import java.util.Optional;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.catalog.Operation;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.lifecycle.Drain;
import dev.switchboard.observability.ToolOutcome;
import dev.switchboard.tenancy.AccessLost;
import dev.switchboard.tenancy.Caller;
import dev.switchboard.tenancy.Identity;
import dev.switchboard.tenancy.TenancyException;
import dev.switchboard.workspace.UpstreamCallFailed;
import dev.switchboard.workspace.UpstreamFailure;
import io.quarkiverse.mcp.server.Cancellation;
import io.quarkiverse.mcp.server.McpException;

/**
 * What the client gets for a failed tool call, as a function of the failure alone (which carries the caller and the
 * operation forward): a JSON-RPC error for authentication and organization problems (-32001, -32002, -32003),
 * otherwise a tool result with isError and a message that says what went wrong and what to do. Nothing of the
 * upstream's address or internals, and no stack trace, reaches the client.
 */
@Singleton
class ToolErrors {

    static final int AUTHENTICATION_REQUIRED = -32001;
    static final int INVALID_KEY = -32002;
    static final int NO_ACTIVE_ORGANIZATION = -32003;

    private static final Logger LOG = Logger.getLogger(ToolErrors.class);

    private final int circuitDelaySeconds;
    private final int requestTimeoutSeconds;
    private final ToolNames names;

    ToolErrors(GatewayConfig config, ToolNames names) {
        this.circuitDelaySeconds = config.circuit().delaySeconds();
        this.requestTimeoutSeconds = config.requestTimeoutSeconds();
        this.names = names;
    }

    Answer answer(Throwable failure, CallContext context) {
        Caller caller = null;
        Operation operation = null;
        Optional<String> idempotencyKey = Optional.empty();
        Optional<String> jobId = Optional.empty();
        int attemptsSent = 0;
        Throwable cause = failure;
        // unwrap what the failure carried forward
        while (true) {
            if (cause instanceof Failures.OfCaller ofCaller) {
                caller = ofCaller.caller;
                cause = ofCaller.getCause();
            } else if (cause instanceof Failures.OfOperation ofOperation) {
                operation = ofOperation.operation;
                idempotencyKey = ofOperation.idempotencyKey;
                jobId = ofOperation.jobId;
                cause = ofOperation.getCause();
            } else if (cause instanceof UpstreamCallFailed sent) {
                attemptsSent = sent.attemptsSent();
                cause = sent.getCause();
            } else {
                break;
            }
        }
        Optional<Identity.OrganizationRef> organization = caller == null ? Optional.empty() : caller.organizationIfKnown();
        if (cause instanceof Cancellation.OperationCancellationException) {
            return new Answer.Cancelled(cause);
        }
        if (cause instanceof McpException mcp) {
            return new Answer.ProtocolError(mcp, ToolOutcome.AUTH_ERROR, Optional.empty(), id(organization));
        }
        if (cause instanceof TenancyException tenancy) {
            return switch (tenancy.reason()) {
                case AUTHENTICATION_REQUIRED -> protocol(AUTHENTICATION_REQUIRED, tenancy.getMessage(), organization);
                case INVALID_KEY, TOO_MANY_FAILED_AUTHENTICATIONS -> protocol(INVALID_KEY, tenancy.getMessage(), organization);
                case NO_ACTIVE_ORGANIZATION -> protocol(NO_ACTIVE_ORGANIZATION, tenancy.getMessage(), organization);
                case RATE_LIMITED -> tool(organization, tenancy.getMessage(), ToolOutcome.RATE_LIMITED);
                case STATE_STORE_UNAVAILABLE -> tool(organization, tenancy.getMessage(), ToolOutcome.STATE_STORE_UNAVAILABLE);
            };
        }
        if (cause instanceof InputNeeded needed) {
            return new Answer.Result(needed.question(), needed.outcome(), id(organization));
        }
        if (cause instanceof ToolFailure toolFailure) {
            return toolFailure.named()
                    ? new Answer.Result(Envelope.error(organization, toolFailure.getMessage()), toolFailure.outcome(), id(organization))
                    : tool(organization, toolFailure.getMessage(), toolFailure.outcome());
        }
        String name = operation == null ? "the call" : operation.name();
        boolean write = operation != null && operation.write();
        // a retry refused by the circuit breaker or the bulkhead can follow an attempt that did reach the workspace
        boolean alreadySent = write && (attemptsSent > 0 || jobId.isPresent());
        String started = jobId.map(id -> " It had started as job " + id + ", which may still be running.").orElse("");
        if (cause instanceof UpstreamFailure.Rejected rejected) {
            if (rejected.status() == 401 && caller != null) {
                return new Answer.ProtocolError(new McpException("Invalid or expired API key: the workspace no longer "
                        + "accepts it. Create a new key and update " + caller.credentials().source().key() + ".", INVALID_KEY),
                        ToolOutcome.AUTH_ERROR, Optional.of(AccessLost.keyRefused(caller)), id(organization));
            }
            if (rejected.status() == 403 && caller != null && organization.isPresent()) {
                boolean override = caller.active().source().name().equals("OVERRIDE");
                return new Answer.ProtocolError(new McpException(names.rewrite("This API key may no longer act on "
                        + organization.get().name() + " (" + organization.get().id() + "); nothing was done. Its cached access"
                        + (override ? " and the organization switch were" : " was")
                        + " cleared: call organizations_list to see what it reaches now."), NO_ACTIVE_ORGANIZATION),
                        ToolOutcome.AUTH_ERROR, Optional.of(AccessLost.organizationRefused(caller)), id(organization));
            }
            return tool(organization, rejection(name, rejected) + started, ToolOutcome.TOOL_ERROR);
        }
        String mayHaveHappened = write ? idempotencyKey
                .map(key -> " The workspace may have carried out the request. To retry safely, call again with "
                        + "idempotencyKey \"" + key + "\": the workspace will not do it twice.")
                .orElse(" The workspace may have carried out the request; check before retrying.") : " Retry in a few seconds.";
        if (cause instanceof Drain.DeadlineReached) {
            return tool(organization, "This gateway replica is shutting down and could not wait any longer for the "
                    + "workspace's answer to " + name + "." + started + (write ? idempotencyKey
                            .map(key -> " The workspace may have carried it out. Call again with idempotencyKey \"" + key
                                    + "\" (another replica takes the call): it will not be done twice.")
                            .orElse(" The workspace may have carried it out; check before retrying.")
                            : " Call again: another replica will answer."), ToolOutcome.OVERLOADED);
        }
        if (cause instanceof UpstreamFailure.Throttled throttled) {
            long seconds = throttled.retryAfter().map(d -> Math.max(1, d.getSeconds())).orElse(5L);
            return tool(organization, "The workspace API is rate limiting requests. "
                    + (alreadySent ? "An earlier attempt of " + name + " failed." + started + mayHaveHappened + " Wait " + seconds
                            + " s first." : name + " was not carried out. Retry in " + seconds + " s."),
                    ToolOutcome.UPSTREAM_ERROR);
        }
        if (cause instanceof UpstreamFailure.Unavailable unavailable) {
            // the transport's own sentence ("The connection to the workspace API broke before an answer arrived.")
            String what = unavailable.status() > 0 ? "The workspace API failed (HTTP " + unavailable.status() + ")"
                    : unavailable.getMessage().replaceAll("\\.$", "");
            return tool(organization, what + " while running " + name + "." + started
                    + (unavailable.reachedUpstream() || alreadySent ? mayHaveHappened : " Nothing was done. Retry in a few seconds."),
                    ToolOutcome.UPSTREAM_ERROR);
        }
        if (cause instanceof TimeoutException) {
            double took = (System.nanoTime() - context.startedNanos()) / 1e9;
            return tool(organization, "The workspace API did not answer " + name + " within " + requestTimeoutSeconds
                    + " s (MCP_REQUEST_TIMEOUT_SECONDS, the limit of each request to it); this call took "
                    + String.format(java.util.Locale.ROOT, "%.1f", took) + " s in all"
                    + (attemptsSent > 1 ? ", over " + attemptsSent + " attempts" : "") + "." + started + mayHaveHappened,
                    ToolOutcome.TIMEOUT);
        }
        if (cause instanceof CircuitBreakerOpenException) {
            return tool(organization, "The workspace API is unavailable: recent calls failed, so the gateway's circuit "
                    + "breaker is not sending calls to it for about " + circuitDelaySeconds + " s. "
                    + (alreadySent ? "An earlier attempt of " + name + " failed." + started + mayHaveHappened
                            : name + " was not carried out; retry after that."),
                    ToolOutcome.CIRCUIT_OPEN);
        }
        if (cause instanceof BulkheadException) {
            return tool(organization, "The gateway is at its limit of concurrent workspace requests. "
                    + (alreadySent ? "An earlier attempt of " + name + " failed." + started + mayHaveHappened
                            : name + " was not carried out. Retry in a moment."),
                    ToolOutcome.OVERLOADED);
        }
        LOG.errorf(cause, "Tool call %s failed unexpectedly (request %s)", name, context.requestId());
        return tool(organization, "Internal error while running " + name + " (request " + context.requestId()
                + "); the details are in the gateway's log." + (write ? mayHaveHappened : ""), ToolOutcome.INTERNAL_ERROR);
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

    private Answer protocol(int code, String message, Optional<Identity.OrganizationRef> organization) {
        return new Answer.ProtocolError(new McpException(names.rewrite(message), code), ToolOutcome.AUTH_ERROR,
                Optional.empty(), id(organization));
    }

    private Answer tool(Optional<Identity.OrganizationRef> organization, String message, ToolOutcome outcome) {
        return new Answer.Result(Envelope.error(organization, names.rewrite(message)), outcome, id(organization));
    }

    private static String id(Optional<Identity.OrganizationRef> organization) {
        return organization.map(Identity.OrganizationRef::id).orElse("-");
    }
}
