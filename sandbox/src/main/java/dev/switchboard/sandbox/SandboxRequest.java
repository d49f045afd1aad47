package dev.switchboard.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.catalog.Operation;

/**
 * A request the sandbox has authenticated, authorized and validated against the contract, with the world it acts on.
 *
 * @param directory organizations, users and keys
 * @param org the organization of an organization-scoped path, null otherwise
 * @param query the query parameters, converted to the types the contract declares
 * @param body the JSON body, null when absent
 */
record SandboxRequest(Operation operation, Directory directory, SandboxKey key, OrgState org, Map<String, String> path, ObjectNode query,
        JsonNode body, Optional<String> idempotencyKey) {

    String path(String name) {
        return path.get(name);
    }

    String stringQuery(String name, String fallback) {
        JsonNode value = query.get(name);
        return value == null || value.isNull() ? fallback : value.asText();
    }

    int intQuery(String name, int fallback) {
        JsonNode value = query.get(name);
        return value == null || value.isNull() ? fallback : value.asInt();
    }

    Optional<Double> numberQuery(String name) {
        JsonNode value = query.get(name);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asDouble());
    }

    boolean boolQuery(String name) {
        JsonNode value = query.get(name);
        return value != null && value.asBoolean(false);
    }

    List<String> listQuery(String name) {
        List<String> values = new ArrayList<>();
        JsonNode value = query.get(name);
        if (value != null) {
            value.forEach(v -> values.add(v.asText()));
        }
        return values;
    }

    /** The body as a generated model of the contract; an absent optional body becomes an empty one. */
    <T> T body(Class<T> type) {
        JsonNode source = body == null ? SandboxJson.MAPPER.createObjectNode() : body;
        return SandboxJson.MAPPER.convertValue(source, type);
    }

    boolean bodyHas(String field) {
        return body != null && body.has(field);
    }
}
