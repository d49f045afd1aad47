package dev.switchboard.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;

/**
 * Validates JSON values against one schema of the contract and explains each failure in words a model can act on:
 * which field, what is wrong, what is allowed. Compiled once per schema; thread-safe.
 */
public final class SchemaValidator {

    private static final int MAX_VIOLATIONS = 8;
    private static final Set<String> CONTAINER_KEYWORDS = Set.of("properties", "items", "allOf", "$ref", "prefixItems",
            "additionalItems", "dependentSchemas", "then", "else", "if");

    private final JsonNode schema;
    private final Validator validator;
    private final String whole;

    private SchemaValidator(ObjectNode schema, String whole) {
        this.schema = schema;
        this.whole = whole;
        this.validator = Validator.create(JsonSchema.of(new JsonObject(ecmaAnchors(schema.deepCopy()).toString())),
                new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("urn:switchboard:")
                        .setOutputFormat(OutputFormat.Basic));
    }

    /**
     * The schema with its patterns read as JSON Schema reads them (ECMA-262): {@code $} ends the input. Java's {@code $}
     * also matches before a final line break, so "key\n" would pass {@code ^[A-Za-z0-9]+$} and reach a header.
     */
    static JsonNode ecmaAnchors(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode pattern = object.get("pattern");
            if (pattern != null && pattern.isTextual()) {
                object.put("pattern", endOfInput(pattern.asText()));
            }
            object.forEach(SchemaValidator::ecmaAnchors);
        } else if (node != null && node.isArray()) {
            node.forEach(SchemaValidator::ecmaAnchors);
        }
        return node;
    }

    /** Every {@code $} that is an anchor (not escaped, not in a character class) as {@code \z}. */
    static String endOfInput(String pattern) {
        StringBuilder java = new StringBuilder(pattern.length() + 4);
        boolean escaped = false;
        boolean inClass = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '[') {
                inClass = true;
            } else if (c == ']') {
                inClass = false;
            } else if (c == '$' && !inClass) {
                java.append("\\z");
                continue;
            }
            java.append(c);
        }
        return java.toString();
    }

    /** A validator for tool arguments: the object as a whole is called "The arguments". */
    public static SchemaValidator of(ObjectNode schema) {
        return new SchemaValidator(schema, "The arguments");
    }

    /** @param whole how messages name the validated value as a whole, for example "The request body" */
    public static SchemaValidator of(ObjectNode schema, String whole) {
        return new SchemaValidator(schema, whole);
    }

    /**
     * @param instance a Vert.x JSON value: {@link JsonObject}, {@link JsonArray}, String, Number, Boolean or null
     * @return the violations, most useful first; empty when the value is valid
     */
    public List<Violation> validate(Object instance) {
        OutputUnit result = validator.validate(instance);
        if (Boolean.TRUE.equals(result.getValid())) {
            return List.of();
        }
        Map<String, Violation> violations = new LinkedHashMap<>();
        List<OutputUnit> errors = result.getErrors() == null ? List.of(result) : result.getErrors();
        for (OutputUnit error : errors) {
            String keywordLocation = error.getKeywordLocation() == null ? "" : error.getKeywordLocation();
            if (keywordLocation.contains("/anyOf/") || keywordLocation.contains("/oneOf/")) {
                continue; // the anyOf error itself explains the alternatives
            }
            String keyword = lastSegment(keywordLocation);
            if (CONTAINER_KEYWORDS.contains(keyword)) {
                continue;
            }
            JsonNode subschema = schema.at(pointer(parentOf(keywordLocation)));
            String field = field(error.getInstanceLocation());
            Object value = valueAt(instance, error.getInstanceLocation());
            for (Violation violation : explain(keyword, field, subschema, value, error.getError(), whole)) {
                violations.putIfAbsent(violation.field() + "|" + violation.message(), violation);
            }
        }
        if (violations.isEmpty()) {
            violations.put("", new Violation("", "The value does not match its schema."));
        }
        return violations.values().stream().limit(MAX_VIOLATIONS).toList();
    }

    private static List<Violation> explain(String keyword, String field, JsonNode schema, Object value, String fallback,
            String whole) {
        String name = field.isEmpty() ? whole : "'" + field + "'";
        return switch (keyword) {
            case "required" -> {
                List<Violation> missing = new ArrayList<>();
                for (JsonNode required : schema.path("required")) {
                    if (!(value instanceof JsonObject object) || !object.containsKey(required.asText())) {
                        String missingField = join(field, required.asText());
                        missing.add(new Violation(missingField, "'" + missingField + "' is required"
                                + describe(schema.path("properties").path(required.asText())) + "."));
                    }
                }
                yield missing;
            }
            case "additionalProperties" -> {
                Set<String> known = new TreeSet<>();
                schema.path("properties").fieldNames().forEachRemaining(known::add);
                List<Violation> unknown = new ArrayList<>();
                String ownName = field.contains(".") ? field.substring(field.lastIndexOf('.') + 1) : field;
                if (!(value instanceof JsonObject) && !field.isEmpty()) {
                    // reported at the extra property itself (and, by this validator, at invalid known ones too)
                    if (known.contains(ownName)) {
                        yield List.of();
                    }
                    String parent = field.contains(".") ? field.substring(0, field.lastIndexOf('.')) : "";
                    unknown.add(new Violation(field, "'" + field + "' is not a known " + (parent.isEmpty() ? "argument" : "field")
                            + ". Allowed: " + String.join(", ", known) + ".", List.copyOf(known)));
                } else if (value instanceof JsonObject object) {
                    for (String key : object.fieldNames()) {
                        if (!known.contains(key)) {
                            String unknownField = join(field, key);
                            unknown.add(new Violation(unknownField, "'" + unknownField + "' is not a known "
                                    + (field.isEmpty() ? "argument" : "field") + ". Allowed: " + String.join(", ", known) + ".",
                                    List.copyOf(known)));
                        }
                    }
                }
                yield unknown;
            }
            case "anyOf", "oneOf" -> {
                List<String> alternatives = new ArrayList<>();
                for (JsonNode alternative : schema.path(keyword)) {
                    List<String> names = new ArrayList<>();
                    alternative.path("required").forEach(n -> names.add(n.asText()));
                    if (names.isEmpty()) {
                        alternatives.clear();
                        break;
                    }
                    alternatives.add(String.join(" and ", names));
                }
                yield List.of(alternatives.isEmpty()
                        ? new Violation(field, name + " does not match any allowed form: " + fallback)
                        : new Violation(field, name + " must include at least one of: " + String.join(", ", alternatives) + ".",
                                alternatives));
            }
            case "type" -> List.of(new Violation(field, name + " must be " + typeName(schema.path("type"))
                    + describe(schema) + "; got " + jsonTypeOf(value) + "."));
            case "enum" -> {
                List<String> allowed = new ArrayList<>();
                schema.path("enum").forEach(v -> allowed.add(v.asText()));
                yield List.of(new Violation(field, name + " must be one of: " + String.join(", ", allowed)
                        + (value == null ? "" : "; got \"" + value + "\"") + ".", allowed));
            }
            case "const" -> List.of(new Violation(field, name + " must be " + schema.path("const")));
            case "minimum" -> List.of(new Violation(field, name + " must be at least " + schema.path("minimum").asText()
                    + "; got " + value + "."));
            case "maximum" -> List.of(new Violation(field, name + " must be at most " + schema.path("maximum").asText()
                    + "; got " + value + "."));
            case "exclusiveMinimum" -> List.of(new Violation(field, name + " must be greater than "
                    + schema.path("exclusiveMinimum").asText() + "."));
            case "exclusiveMaximum" -> List.of(new Violation(field, name + " must be less than "
                    + schema.path("exclusiveMaximum").asText() + "."));
            case "minLength" -> List.of(new Violation(field, name + " must be at least " + schema.path("minLength").asText()
                    + " characters long."));
            case "maxLength" -> List.of(new Violation(field, name + " must be at most " + schema.path("maxLength").asText()
                    + " characters long" + (value instanceof String s ? "; got " + s.length() : "") + "."));
            case "pattern" -> List.of(new Violation(field, name + " has the wrong form" + describe(schema)
                    + " (pattern " + schema.path("pattern").asText() + ")."));
            case "format" -> List.of(new Violation(field, name + " must be " + formatName(schema.path("format").asText())
                    + (value == null ? "" : "; got \"" + value + "\"") + "."));
            case "minItems" -> List.of(new Violation(field, name + " must have at least " + schema.path("minItems").asText()
                    + " item(s)."));
            case "maxItems" -> List.of(new Violation(field, name + " must have at most " + schema.path("maxItems").asText()
                    + " items."));
            case "uniqueItems" -> List.of(new Violation(field, name + " must not repeat a value."));
            case "minProperties" -> List.of(new Violation(field, name + " must set at least "
                    + schema.path("minProperties").asText() + " field(s)."));
            case "maxProperties" -> List.of(new Violation(field, name + " must set at most "
                    + schema.path("maxProperties").asText() + " fields."));
            default -> List.of(new Violation(field, name + " is invalid: " + fallback));
        };
    }

    private static String describe(JsonNode schema) {
        String description = schema.path("description").asText("");
        return description.isEmpty() ? "" : " (" + description.replaceAll("\\.$", "") + ")";
    }

    private static String typeName(JsonNode type) {
        if (type.isArray()) {
            List<String> names = new ArrayList<>();
            type.forEach(t -> names.add(typeName(t)));
            return String.join(" or ", names);
        }
        return switch (type.asText()) {
            case "integer" -> "a whole number";
            case "number" -> "a number";
            case "string" -> "a string";
            case "boolean" -> "true or false";
            case "array" -> "an array";
            case "object" -> "an object";
            default -> type.asText();
        };
    }

    private static String formatName(String format) {
        return switch (format) {
            case "email" -> "a valid email address";
            case "date-time" -> "an ISO 8601 date-time such as 2026-01-31T09:00:00Z";
            case "date" -> "a date such as 2026-01-31";
            case "uri" -> "an absolute URI";
            default -> "in " + format + " format";
        };
    }

    private static String jsonTypeOf(Object value) {
        if (value == null) {
            return "null";
        } else if (value instanceof String) {
            return "a string";
        } else if (value instanceof Boolean) {
            return "a boolean";
        } else if (value instanceof Number) {
            return "a number";
        } else if (value instanceof JsonArray) {
            return "an array";
        }
        return "an object";
    }

    private static Object valueAt(Object instance, String instanceLocation) {
        Object current = instance;
        for (String segment : segments(instanceLocation)) {
            if (current instanceof JsonObject object) {
                current = object.getValue(segment);
            } else if (current instanceof JsonArray array) {
                try {
                    current = array.getValue(Integer.parseInt(segment));
                } catch (RuntimeException e) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return current;
    }

    private static String field(String instanceLocation) {
        return String.join(".", segments(instanceLocation));
    }

    private static List<String> segments(String location) {
        if (location == null) {
            return List.of();
        }
        String path = location.startsWith("#") ? location.substring(1) : location;
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment.replace("~1", "/").replace("~0", "~"));
            }
        }
        return segments;
    }

    private static String lastSegment(String location) {
        List<String> segments = segments(location);
        return segments.isEmpty() ? "" : segments.get(segments.size() - 1);
    }

    private static String parentOf(String location) {
        List<String> segments = segments(location);
        return segments.isEmpty() ? "" : String.join("/", segments.subList(0, segments.size() - 1).stream()
                .map(s -> s.replace("~", "~0").replace("/", "~1")).collect(Collectors.toList()));
    }

    private static String pointer(String path) {
        return path.isEmpty() ? "" : "/" + path;
    }

    private static String join(String parent, String child) {
        return parent.isEmpty() ? child : parent + "." + child;
    }
}
