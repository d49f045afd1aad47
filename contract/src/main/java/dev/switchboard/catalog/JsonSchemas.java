package dev.switchboard.catalog;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns OpenAPI 3.0 schema objects into self-contained JSON Schema: references inlined, OpenAPI-only keywords
 * dropped, formats limited to those every JSON Schema validator knows.
 */
final class JsonSchemas {

    private static final String REF_PREFIX = "#/components/";
    private static final Set<String> OPENAPI_ONLY = Set.of("example", "nullable", "xml", "discriminator", "externalDocs");
    private static final Set<String> PORTABLE_FORMATS = Set.of("date-time", "date", "email", "uri");

    private final JsonNode components;

    JsonSchemas(JsonNode components) {
        this.components = components;
    }

    /** Resolves a {@code $ref} that points into components, or returns the node itself. */
    JsonNode deref(JsonNode node) {
        JsonNode current = node;
        for (int depth = 0; current.has("$ref"); depth++) {
            if (depth > 16) {
                throw new IllegalStateException("reference cycle at " + node.get("$ref").asText());
            }
            String ref = current.get("$ref").asText();
            if (!ref.startsWith(REF_PREFIX)) {
                throw new IllegalStateException("only local component references are supported: " + ref);
            }
            JsonNode target = components.at("/" + ref.substring(REF_PREFIX.length()));
            if (target.isMissingNode()) {
                throw new IllegalStateException("unresolved reference " + ref);
            }
            current = target;
        }
        return current;
    }

    /** A self-contained copy of a schema, as a tool or a validator reads it. */
    ObjectNode toJsonSchema(JsonNode schema) {
        return (ObjectNode) convert(schema, 0);
    }

    private JsonNode convert(JsonNode node, int depth) {
        if (depth > 32) {
            throw new IllegalStateException("schema nested too deeply (recursive schemas are not supported)");
        }
        JsonNode resolved = deref(node);
        if (resolved.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            resolved.forEach(element -> copy.add(element.isContainerNode() ? convert(element, depth + 1) : element));
            return copy;
        }
        if (!resolved.isObject()) {
            return resolved;
        }
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = resolved.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (OPENAPI_ONLY.contains(key) || key.startsWith("x-")) {
                continue;
            }
            if (key.equals("format") && !PORTABLE_FORMATS.contains(value.asText())) {
                if (value.asText().equals("byte")) {
                    copy.put("contentEncoding", "base64");
                }
                continue;
            }
            if (key.equals("properties")) {
                ObjectNode properties = copy.putObject("properties");
                value.fields().forEachRemaining(p -> properties.set(p.getKey(), convert(p.getValue(), depth + 1)));
            } else if (value.isContainerNode() && !key.equals("enum") && !key.equals("required") && !key.equals("default")) {
                copy.set(key, convert(value, depth + 1));
            } else {
                copy.set(key, value);
            }
        }
        return copy;
    }
}
