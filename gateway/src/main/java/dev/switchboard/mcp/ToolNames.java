package dev.switchboard.mcp;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;

import dev.switchboard.catalog.OperationCatalog;
import dev.switchboard.config.GatewayConfig;

/**
 * Every name a model sees is one it can call. With MCP_TOOL_PREFIX the tools are renamed, and every text the gateway
 * shows (descriptions, schema field descriptions, error messages, the workspace's own messages) is rewritten the same
 * way: a tool is named with its prefix, and an operation that is no tool of its own is named as reachable through
 * run_operation.
 */
@Singleton
class ToolNames {

    static final Set<String> NATIVE = Set.of("organizations_current", "organizations_list", "organizations_switch",
            "list_operations", "run_operation");

    private final String prefix;
    private final Set<String> operations;
    private volatile Set<String> exposed = Set.of();
    private volatile Pattern mentions;

    ToolNames(GatewayConfig config, OperationCatalog catalog) {
        this.prefix = config.toolPrefix().orElse("");
        this.operations = Set.copyOf(catalog.names());
    }

    /** Called once the tools are registered, with their base names (without prefix). */
    void exposed(Collection<String> baseNames) {
        this.exposed = Set.copyOf(baseNames);
        String alternatives = java.util.stream.Stream.concat(operations.stream(), NATIVE.stream()).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).map(Pattern::quote)
                .collect(Collectors.joining("|"));
        // a name inside a longer identifier (an already prefixed name, another operation's name) is not a mention
        this.mentions = Pattern.compile("(?<![A-Za-z0-9_])(" + alternatives + ")(?![A-Za-z0-9_])");
    }

    /** The name a tool is called by. */
    String tool(String baseName) {
        return prefix + baseName;
    }

    /** The base name of a tool or operation name as a client may send it: prefixed or not. */
    String base(String name) {
        if (name != null && !prefix.isEmpty() && name.startsWith(prefix) && operationOrNative(name.substring(prefix.length()))) {
            return name.substring(prefix.length());
        }
        return name;
    }

    boolean isTool(String baseName) {
        return exposed.contains(baseName);
    }

    private boolean operationOrNative(String name) {
        return operations.contains(name) || NATIVE.contains(name);
    }

    /** The text with every operation and tool it names written as the model must call it. */
    String rewrite(String text) {
        Pattern pattern = mentions;
        if (text == null || pattern == null) {
            return text;
        }
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 32);
        int at = 0;
        do {
            String name = matcher.group(1);
            out.append(text, at, matcher.start()).append(as(name));
            at = matcher.end();
            if (!isTool(name) && !text.startsWith(" (via ", at)) {
                out.append(" (via ").append(tool("run_operation")).append(')');
            }
        } while (matcher.find());
        return out.append(text, at, text.length()).toString();
    }

    private String as(String name) {
        return isTool(name) ? tool(name) : name;
    }

    /** The tool a given operation is exposed as, if any. */
    Optional<String> toolOf(String operation) {
        return isTool(operation) ? Optional.of(tool(operation)) : Optional.empty();
    }
}
