package dev.switchboard.mcp;

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
}
