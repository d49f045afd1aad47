package dev.switchboard.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A path, query or header parameter of an operation, as the contract declares it.
 *
 * @param name the contract's name (for example {@code Idempotency-Key})
 * @param argument the tool argument it is exposed as (for example {@code idempotencyKey})
 * @param schema its JSON Schema, references resolved
 */
public record OperationParameter(String name, String argument, Location location, boolean required, String description,
        ObjectNode schema) {

    public enum Location {
        PATH,
        QUERY,
        HEADER
    }

    public boolean isArray() {
        return "array".equals(schema.path("type").asText());
    }
}
