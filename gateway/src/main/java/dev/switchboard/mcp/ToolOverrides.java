package dev.switchboard.mcp;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Operator-supplied titles and descriptions (MCP_TOOL_OVERRIDES_FILE), keyed by unprefixed tool name:
 * {@code {"contacts_list": {"title": "…", "description": "…"}}}, as JSON or YAML.
 */
record ToolOverrides(Map<String, Override> byTool) {

    record Override(String title, String description) {
    }

    static ToolOverrides load(Optional<Path> file) {
        if (file.isEmpty()) {
            return new ToolOverrides(Map.of());
        }
        Path path = file.get();
        ObjectMapper mapper = path.toString().endsWith(".json") ? new ObjectMapper() : new YAMLMapper();
        try {
            Map<String, Override> read = mapper.readValue(path.toFile(), new TypeReference<Map<String, Override>>() {
            });
            return new ToolOverrides(read == null ? Map.of() : Map.copyOf(read));
        } catch (IOException e) {
            throw new IllegalStateException("MCP_TOOL_OVERRIDES_FILE " + path + " is not a map of tool names to "
                    + "{title, description}: " + e.getMessage(), e);
        }
    }

    String title(String tool, String fallback) {
        Override override = byTool.get(tool);
        return override != null && override.title() != null ? override.title() : fallback;
    }

    String description(String tool, String fallback) {
        Override override = byTool.get(tool);
        return override != null && override.description() != null ? override.description() : fallback;
    }
}
