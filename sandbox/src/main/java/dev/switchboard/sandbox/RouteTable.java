package dev.switchboard.sandbox;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.switchboard.catalog.Operation;

/** Finds the contract operation of a method and path: the sandbox routes by the contract, not by hand. */
final class RouteTable {

    record Match(Operation operation, Map<String, String> pathParameters) {
    }

    private record Route(Operation operation, Pattern pattern, List<String> names, int literals) {
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    private final List<Route> routes = new ArrayList<>();

    RouteTable(List<Operation> operations) {
        for (Operation operation : operations) {
            List<String> names = new ArrayList<>();
            StringBuilder regex = new StringBuilder("^");
            int literals = 0;
            for (String segment : operation.pathTemplate().substring(1).split("/")) {
                regex.append('/');
                Matcher placeholder = PLACEHOLDER.matcher(segment);
                if (placeholder.matches()) {
                    names.add(placeholder.group(1));
                    regex.append("([^/]+)");
                } else {
                    literals++;
                    regex.append(Pattern.quote(segment));
                }
            }
            regex.append('$');
            routes.add(new Route(operation, Pattern.compile(regex.toString()), names, literals));
        }
        // "/contacts/duplicates" must win over "/contacts/{contactId}"
        routes.sort(Comparator.comparingInt(Route::literals).reversed());
    }

    Optional<Match> match(String method, String path) {
        for (Route route : routes) {
            if (!route.operation().method().equals(method)) {
                continue;
            }
            Matcher matcher = route.pattern().matcher(path);
            if (matcher.matches()) {
                Map<String, String> parameters = new LinkedHashMap<>();
                for (int i = 0; i < route.names().size(); i++) {
                    parameters.put(route.names().get(i),
                            java.net.URLDecoder.decode(matcher.group(i + 1), java.nio.charset.StandardCharsets.UTF_8));
                }
                return Optional.of(new Match(route.operation(), parameters));
            }
        }
        return Optional.empty();
    }

    /** Methods that exist for a path, to tell 405 from 404. */
    List<String> methodsFor(String path) {
        return routes.stream().filter(r -> r.pattern().matcher(path).matches()).map(r -> r.operation().method())
                .distinct().toList();
    }
}
