package dev.switchboard.mcp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.inject.Singleton;

import dev.switchboard.catalog.Operation;
import dev.switchboard.catalog.OperationCatalog;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.observability.ClientText;

/**
 * Every name a model sees is one it can call. A tool's name is the operator's MCP_TOOL_PREFIX followed by its name in
 * the naming style MCP_TOOL_NAMING chose: the contract's ({@code contacts_list}) or the verb-first one of the reference
 * documents ({@code list_contacts}). Every text the gateway shows (descriptions, schema field descriptions, error
 * messages, job logs, the workspace's own messages) names tools and operations the same way: a tool with its prefix,
 * an operation that is no tool of its own by the name run_operation takes. A name a client sends is understood in
 * either style, with or without the prefix; a name that is none of them is answered with the closest callable ones.
 */
@Singleton
class ToolNames {

    /** The gateway's own tools, by base name, with their verb-first names. */
    static final Map<String, String> NATIVE_REFERENCE_NAMES = Map.of("organizations_current", "get_current_organization",
            "organizations_list", "list_organizations", "organizations_switch", "switch_organization",
            "list_operations", "list_operations", "run_operation", "run_operation");
    static final Set<String> NATIVE = NATIVE_REFERENCE_NAMES.keySet();

    /** Longer than any name a tool or operation has, prefix included: such a name is compared with nothing. */
    private static final int LONGEST_NAME = 128;

    private final String prefix;
    private final boolean reference;
    private final Set<String> operations;
    /** Base name (operation id or native tool) → its name in the configured style. */
    private final Map<String, String> styled = new HashMap<>();
    /** Every name in either style → the base name. */
    private final Map<String, String> bases = new HashMap<>();
    /** Base name → its verb-first name. */
    private final Map<String, String> referenceNames = new HashMap<>();
    private volatile Set<String> exposed = Set.of();
    private volatile Pattern mentions;

    ToolNames(GatewayConfig config, OperationCatalog catalog) {
        this.prefix = config.toolPrefix().orElse("");
        this.reference = config.referenceToolNames();
        this.operations = Set.copyOf(catalog.names());
        for (Operation operation : catalog.all()) {
            name(operation.name(), operation.referenceName());
        }
        NATIVE_REFERENCE_NAMES.forEach(this::name);
    }

    private void name(String base, String referenceName) {
        styled.put(base, reference ? referenceName : base);
        referenceNames.put(base, referenceName);
        bases.putIfAbsent(base, base);
        bases.putIfAbsent(referenceName, base);
    }

    /** Called once the tools are registered, with their base names (without prefix). */
    void exposed(Collection<String> baseNames) {
        this.exposed = Set.copyOf(baseNames);
        String alternatives = Stream.concat(operations.stream(), NATIVE.stream()).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).map(Pattern::quote)
                .collect(Collectors.joining("|"));
        // a name inside a longer identifier (an already prefixed name, another operation's name) is not a mention
        this.mentions = Pattern.compile("(?<![A-Za-z0-9_])(" + alternatives + ")(?![A-Za-z0-9_])");
    }

    /** The name a tool is called by: the prefix and its name in the configured style. */
    String tool(String baseName) {
        return prefix + styled(baseName);
    }

    /** An operation's or tool's name in the configured style, without prefix: what list_operations shows. */
    String styled(String baseName) {
        return styled.getOrDefault(baseName, baseName);
    }

    /** The base name of a name as a client may send it: prefixed or not, in either naming style. */
    Optional<String> resolve(String name) {
        if (name == null) {
            return Optional.empty();
        }
        if (!prefix.isEmpty() && name.startsWith(prefix) && bases.containsKey(name.substring(prefix.length()))) {
            return Optional.of(bases.get(name.substring(prefix.length())));
        }
        return Optional.ofNullable(bases.get(name));
    }

    /** The base name of a name as a client may send it, or the name itself when it names nothing known. */
    String base(String name) {
        return resolve(name).orElse(name);
    }

    boolean isTool(String baseName) {
        return exposed.contains(baseName);
    }

    /** How a model reaches an operation or tool: its tool name, or the name run_operation takes. */
    String callable(String baseName) {
        return isTool(baseName) ? tool(baseName) : styled(baseName);
    }

    /** The text with every operation and tool it names written as the model must call it. */
    String rewrite(String text) {
        return rewrite(text, true);
    }

    /**
     * The same; with {@code howToCall}, an operation without a tool of its own is followed by the tool that runs it,
     * which run_operation's own texts leave out (there the name is what run_operation takes).
     */
    String rewrite(String text, boolean howToCall) {
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
            out.append(text, at, matcher.start()).append(callable(name));
            at = matcher.end();
            if (howToCall && !isTool(name) && !text.startsWith(" (via ", at)) {
                out.append(" (via ").append(tool("run_operation")).append(')');
            }
        } while (matcher.find());
        return out.append(text, at, text.length()).toString();
    }

    /** The tool a given operation is exposed as, if any. */
    Optional<String> toolOf(String operation) {
        return isTool(operation) ? Optional.of(tool(operation)) : Optional.empty();
    }

    // ------------------------------------------------------------------ unknown names

    /**
     * What to answer a tools/call of a name that is no tool: the closest callable names, also when the name is the
     * other naming style's, lacks this server's prefix or carries another one.
     */
    String unknownTool(String requested) {
        String asked = requested == null ? "" : requested.trim();
        Optional<String> known = resolve(asked).or(() -> resolve(stripForeignPrefix(asked)));
        StringBuilder message = new StringBuilder("Unknown tool '").append(ClientText.echo(requested)).append("'.");
        if (known.isPresent() && !isTool(known.get())) {
            message.append(" It is an operation without a tool of its own: call ").append(tool("run_operation"))
                    .append(" with operation \"").append(styled(known.get())).append("\".");
        } else {
            List<String> close = closest(asked, exposed).stream().map(this::tool).toList();
            if (!close.isEmpty()) {
                message.append(" Did you mean ").append(String.join(" or ", close)).append('?');
            }
        }
        if (!prefix.isEmpty() && !asked.startsWith(prefix)) {
            message.append(" This server's tool names start with ").append(prefix).append('.');
        }
        return message.append(" tools/list names every tool; ").append(tool("list_operations"))
                .append(" finds the operations that ").append(tool("run_operation")).append(" runs.").toString();
    }

    /** What to answer run_operation for a name that is no operation: the closest operations, as run_operation takes them. */
    String unknownOperation(String requested) {
        List<String> close = closest(requested, operations).stream().map(this::styled).toList();
        return "Unknown operation '" + ClientText.echo(requested) + "'." + (close.isEmpty() ? "" : " Did you mean " + String.join(" or ", close) + "?")
                + " Call " + tool("list_operations") + " to find the right one.";
    }

    /**
     * Up to three base names among the candidates closest to what was asked: the very name in the other style or
     * without a prefix first, then names with the same words (in any order, singular or plural), then close spellings.
     */
    List<String> closest(String requested, Collection<String> candidates) {
        if (requested == null || requested.isBlank() || requested.length() > LONGEST_NAME) {
            return List.of(); // no name is that long: nothing is close, and nothing is worth comparing at length
        }
        String asked = requested.trim().toLowerCase(Locale.ROOT);
        Optional<String> exact = resolve(asked).or(() -> resolve(stripForeignPrefix(asked))).filter(candidates::contains);
        if (exact.isPresent()) {
            return List.of(exact.get());
        }
        String bare = !prefix.isEmpty() && asked.startsWith(prefix.toLowerCase(Locale.ROOT)) ? asked.substring(prefix.length()) : asked;
        record Scored(String base, double score) {
        }
        List<Scored> scored = new ArrayList<>();
        for (String base : candidates) {
            double score = 0;
            for (String name : new LinkedHashSet<>(List.of(base, referenceNames.getOrDefault(base, base)))) {
                score = Math.max(score, similarity(bare, name));
            }
            if (score >= 0.5) {
                scored.add(new Scored(base, score));
            }
        }
        double best = scored.stream().mapToDouble(Scored::score).max().orElse(0);
        // only the names about as close as the closest: a clear winner is named alone
        return scored.stream().filter(s -> s.score() >= best - 0.1).sorted(Comparator.comparingDouble(Scored::score).reversed()
                .thenComparingInt(s -> s.base().length())).limit(3).map(Scored::base).toList();
    }

    /** {@code other_list_accounts} without a prefix this server does not use, when the rest is a known name. */
    private String stripForeignPrefix(String name) {
        if (name == null || name.length() > LONGEST_NAME) {
            return name;
        }
        for (int at = name.indexOf('_'); at > 0 && at < name.length() - 1; at = name.indexOf('_', at + 1)) {
            if (bases.containsKey(name.substring(at + 1))) {
                return name.substring(at + 1);
            }
        }
        return name;
    }

    /** The better of the word overlap (order, case and plurals aside) and the spelling distance, between 0 and 1. */
    static double similarity(String a, String b) {
        Set<String> wordsA = words(a);
        Set<String> wordsB = words(b);
        Set<String> common = new java.util.HashSet<>(wordsA);
        common.retainAll(wordsB);
        Set<String> all = new java.util.HashSet<>(wordsA);
        all.addAll(wordsB);
        double overlap = all.isEmpty() ? 0 : (double) common.size() / all.size();
        int distance = levenshtein(a, b);
        double spelling = 1 - (double) distance / Math.max(1, Math.max(a.length(), b.length()));
        return Math.max(overlap, spelling);
    }

    private static Set<String> words(String name) {
        Set<String> words = new java.util.HashSet<>();
        for (String word : name.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (!word.isEmpty()) {
                words.add(word.length() > 3 && word.endsWith("s") ? word.substring(0, word.length() - 1) : word);
            }
        }
        return words;
    }

    private static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
