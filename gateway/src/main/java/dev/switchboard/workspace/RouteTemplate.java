package dev.switchboard.workspace;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.switchboard.catalog.Operation;
import dev.switchboard.catalog.OperationParameter;

/**
 * The URL of one operation, prepared once from the contract's path template: literal parts and the arguments that
 * fill the placeholders, then the query parameters. Every value is percent-encoded as one path segment or query
 * value, so no argument (or header) can add path segments, a query or a fragment: {@code ..} stays a name.
 */
final class RouteTemplate {

    private static final String ORGANIZATION_ID = "organizationId";

    /** A literal piece of the path, or the argument that fills a placeholder. */
    private record Part(String literal, String argument) {
    }

    private final String operation;
    private final List<Part> parts;
    private final List<OperationParameter> query;

    private RouteTemplate(String operation, List<Part> parts, List<OperationParameter> query) {
        this.operation = operation;
        this.parts = parts;
        this.query = query;
    }

    static Map<String, RouteTemplate> all(List<Operation> operations) {
        Map<String, RouteTemplate> routes = new LinkedHashMap<>();
        for (Operation operation : operations) {
            routes.put(operation.name(), of(operation));
        }
        return Map.copyOf(routes);
    }

    static RouteTemplate of(Operation operation) {
        List<Part> parts = new ArrayList<>();
        String template = operation.pathTemplate();
        int at = 0;
        while (at < template.length()) {
            int open = template.indexOf('{', at);
            if (open < 0) {
                parts.add(new Part(template.substring(at), null));
                break;
            }
            if (open > at) {
                parts.add(new Part(template.substring(at, open), null));
            }
            int close = template.indexOf('}', open);
            String name = template.substring(open + 1, close);
            String argument = name.equals(ORGANIZATION_ID) ? ORGANIZATION_ID
                    : operation.parameters().stream().filter(p -> p.name().equals(name)).findFirst()
                            .map(OperationParameter::argument)
                            .orElseThrow(() -> new IllegalStateException(operation.name() + ": no parameter " + name));
            parts.add(new Part(null, argument));
            at = close + 1;
        }
        List<OperationParameter> query = operation.parameters().stream()
                .filter(p -> p.location() == OperationParameter.Location.QUERY).toList();
        return new RouteTemplate(operation.name(), List.copyOf(parts), query);
    }

    String path(Optional<String> organizationId, Map<String, Object> arguments) {
        StringBuilder path = new StringBuilder(64);
        for (Part part : parts) {
            if (part.literal() != null) {
                path.append(part.literal());
                continue;
            }
            Object value = part.argument().equals(ORGANIZATION_ID)
                    ? organizationId.orElseThrow(() -> new IllegalArgumentException(operation + " needs an organization"))
                    : arguments.get(part.argument());
            if (value == null) {
                throw new IllegalArgumentException(operation + " needs " + part.argument());
            }
            appendSegment(path, text(value));
        }
        return path.toString();
    }

    String query(Map<String, Object> arguments) {
        StringBuilder query = null;
        for (OperationParameter parameter : this.query) {
            Object value = arguments.get(parameter.argument());
            if (value == null) {
                continue;
            }
            Iterable<?> values = value instanceof Iterable<?> list ? list : List.of(value);
            for (Object element : values) {
                query = query == null ? new StringBuilder("?") : query.append('&');
                appendEncoded(query, parameter.name(), false);
                query.append('=');
                appendEncoded(query, text(element), false);
            }
        }
        return query == null ? "" : query.toString();
    }

    private static String text(Object value) {
        if (value instanceof java.math.BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            return number == Math.rint(number) && Math.abs(number) < 1e15 ? String.valueOf((long) number)
                    : java.math.BigDecimal.valueOf(number).toPlainString();
        }
        return String.valueOf(value);
    }

    /** One path segment: "." and ".." are encoded too, so that they cannot climb the path. */
    private static void appendSegment(StringBuilder out, String value) {
        if (value.equals(".") || value.equals("..") || value.isEmpty()) {
            for (int i = 0; i < value.length(); i++) {
                out.append("%2E");
            }
            return;
        }
        appendEncoded(out, value, true);
    }

    private static void appendEncoded(StringBuilder out, String value, boolean pathSegment) {
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~' || (pathSegment && (c == '@' || c == ':'))) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
    }
}
