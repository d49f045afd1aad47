package dev.switchboard.workspace;

import java.util.Map;
import java.util.Optional;

import dev.switchboard.catalog.Operation;

/**
 * One call of a Workspace API operation.
 *
 * @param authorization what the call presents upstream (the caller's key, or the service credential and its user)
 * @param organizationId the resolved organization, for organization-scoped operations
 * @param arguments validated tool arguments: path, query and body fields by argument name
 * @param idempotencyKey sent as Idempotency-Key; makes a write safe to repeat
 */
public record UpstreamRequest(Operation operation, UpstreamCredential authorization, Optional<String> organizationId,
        Map<String, Object> arguments, Optional<String> idempotencyKey) {

    public static UpstreamRequest of(Operation operation, UpstreamCredential authorization, String organizationId,
            Map<String, Object> arguments) {
        return new UpstreamRequest(operation, authorization, Optional.ofNullable(organizationId), arguments, Optional.empty());
    }

    public UpstreamRequest withIdempotencyKey(String key) {
        return new UpstreamRequest(operation, authorization, organizationId, arguments, Optional.ofNullable(key));
    }

    /** Repeating it cannot act twice: a read, an idempotent method, or a write that carries an Idempotency-Key. */
    public boolean safeToRepeat() {
        return operation.idempotent() || idempotencyKey.isPresent();
    }
}
