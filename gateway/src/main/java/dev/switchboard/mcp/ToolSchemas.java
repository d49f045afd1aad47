package dev.switchboard.mcp;

import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;

/**
 * JSON Schemas of the gateway's own tools, generated from their argument and result records with the generator the
 * MCP library uses. Objects are closed (no properties beyond the record's), except maps, whose values are described by
 * their type: a map of anything (an operation's input schema) accepts anything.
 */
final class ToolSchemas {

    private static final SchemaGenerator GENERATOR = new SchemaGenerator(
            new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                    .with(new JacksonModule(JacksonOption.RESPECT_JSONPROPERTY_REQUIRED))
                    .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT)
                    .with(Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES)
                    .without(Option.SCHEMA_VERSION_INDICATOR)
                    .build());

    private ToolSchemas() {
    }

    static ObjectNode of(Class<?> type) {
        ObjectNode schema = GENERATOR.generateSchema(type);
        if (!schema.has("properties")) {
            schema.putObject("properties"); // some clients expect the member even when there are no arguments
        }
        return schema;
    }

    /** Keywords whose value is a schema, or an array of schemas. */
    private static final Set<String> SUBSCHEMA = Set.of("items", "additionalProperties", "not", "if", "then", "else",
            "contains", "propertyNames", "unevaluatedProperties", "unevaluatedItems", "anyOf", "oneOf", "allOf", "prefixItems");

    /** Keywords whose value maps names to schemas (a property may itself be called "description"). */
    private static final Set<String> SCHEMA_MAPS = Set.of("properties", "patternProperties", "$defs", "definitions",
            "dependentSchemas");

    /**
     * The schema with its descriptions left out, everything that decides what is valid kept: the form a tool's output
     * schema takes in tools/list. Clients validate results against it, models read the tool's description and input
     * schema; the described form stays in the manifest (/mcp-manifest.json). A copy; the argument is unchanged.
     */
    static ObjectNode withoutDescriptions(ObjectNode schema) {
        ObjectNode copy = schema.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode schema) {
        if (!(schema instanceof ObjectNode object)) {
            return;
        }
        if (object.path("description").isTextual()) {
            object.remove("description");
        }
        for (Map.Entry<String, JsonNode> keyword : object.properties()) {
            if (SCHEMA_MAPS.contains(keyword.getKey())) {
                keyword.getValue().forEach(ToolSchemas::strip);
            } else if (SUBSCHEMA.contains(keyword.getKey())) {
                if (keyword.getValue().isArray()) {
                    keyword.getValue().forEach(ToolSchemas::strip);
                } else {
                    strip(keyword.getValue());
                }
            }
        }
    }
}
