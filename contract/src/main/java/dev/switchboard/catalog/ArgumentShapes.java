package dev.switchboard.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings tool arguments to the contract's shape before they are checked: the names the reference documents use are
 * renamed to the contract's ({@code maxResults} to {@code limit}), a single value of a list argument that accepts one
 * becomes a one-item list, and an explicit {@code null} counts as an omitted argument. Text that is not valid Unicode
 * (a lone UTF-16 surrogate) is refused here, so that it never reaches a URL or a JSON encoder.
 */
public final class ArgumentShapes {

    /** The arguments in the contract's shape, or why they cannot be brought to it. */
    public record Normalized(Map<String, Object> arguments, List<Violation> violations) {

        public boolean valid() {
            return violations.isEmpty();
        }
    }

    private ArgumentShapes() {
    }

    /** @param fieldPrefix put in front of field names in messages, for example {@code arguments.} */
    public static Normalized normalize(Operation operation, Map<String, Object> arguments, String fieldPrefix) {
        List<Violation> violations = new ArrayList<>();
        boolean plain = operation.aliases().isEmpty() && operation.acceptsSingle().isEmpty();
        Map<String, Object> shaped = plain && !hasNull(arguments) ? arguments : new LinkedHashMap<>();
        if (shaped != arguments) {
            for (Map.Entry<String, Object> argument : arguments.entrySet()) {
                if (argument.getValue() == null) {
                    continue;
                }
                String name = operation.aliases().getOrDefault(argument.getKey(), argument.getKey());
                Object value = argument.getValue();
                if (operation.acceptsSingle().contains(name) && !(value instanceof List<?>)
                        && !(value instanceof io.vertx.core.json.JsonArray)) {
                    value = List.of(value);
                }
                Object earlier = shaped.putIfAbsent(name, value);
                if (earlier != null && !earlier.equals(value)) {
                    String other = name.equals(argument.getKey()) ? aliasOf(operation, name, arguments) : name;
                    violations.add(new Violation(fieldPrefix + name, "'" + fieldPrefix + argument.getKey() + "' and '"
                            + fieldPrefix + other + "' are the same argument with different values; give only one."));
                }
            }
        }
        for (Map.Entry<String, Object> argument : shaped.entrySet()) {
            checkText(fieldPrefix + argument.getKey(), argument.getValue(), violations);
        }
        return new Normalized(shaped, List.copyOf(violations));
    }

    private static boolean hasNull(Map<String, Object> arguments) {
        for (Object value : arguments.values()) {
            if (value == null) {
                return true;
            }
        }
        return false;
    }

    /** Refuses a header value or an argument that is not valid Unicode text. */
    public static List<Violation> checkText(String field, Object value) {
        List<Violation> violations = new ArrayList<>();
        checkText(field, value, violations);
        return violations;
    }

    private static void checkText(String field, Object value, List<Violation> violations) {
        if (value instanceof String text) {
            int bad = loneSurrogate(text);
            if (bad >= 0) {
                violations.add(new Violation(field, "'" + field + "' is not valid Unicode text: it has a lone UTF-16 "
                        + "surrogate at character " + bad + ". Send the text as valid UTF-8."));
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, nested) -> checkText(field + "." + key, nested, violations));
        } else if (value instanceof io.vertx.core.json.JsonObject object) {
            object.forEach(entry -> checkText(field + "." + entry.getKey(), entry.getValue(), violations));
        } else if (value instanceof Iterable<?> list) {
            int index = 0;
            for (Object element : list) {
                checkText(field + "." + index++, element, violations);
            }
        }
    }

    /** The index of the first surrogate that is not part of a pair, or -1. */
    static int loneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static String aliasOf(Operation operation, String argument, Map<String, Object> given) {
        return operation.aliases().entrySet().stream()
                .filter(e -> e.getValue().equals(argument) && given.containsKey(e.getKey()))
                .map(Map.Entry::getKey).findFirst().orElse(argument);
    }
}
