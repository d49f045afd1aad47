package dev.switchboard.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import dev.switchboard.catalog.Operation;
import dev.switchboard.catalog.OperationCatalog;
import dev.switchboard.catalog.OperationParameter;
import io.quarkiverse.openapi.generator.annotations.GeneratedMethod;
import io.quarkiverse.openapi.generator.annotations.GeneratedParam;
import io.quarkiverse.openapi.generator.markers.OperationMarker;

/**
 * The typed REST clients are generated from the contract at build time, and the relay reads the same contract at
 * start-up; this checks that the two agree: every operation has exactly one generated method with the same HTTP
 * method, path and parameters, and no generated method is left without an operation. A contract edit that the
 * generator did not follow fails here.
 */
class ContractDriftTest {

    private static final String GENERATED = "dev.switchboard.contract.api.";
    private final OperationCatalog catalog = OperationCatalog.builtIn();

    @Test
    void everyOperationHasItsGeneratedMethodWithTheSameRouteAndParameters() throws Exception {
        Map<String, Method> generated = generated();
        for (Operation operation : catalog.all()) {
            Method method = generated.get(operation.name());
            assertThat(method).as(operation.name()).isNotNull();
            OperationMarker marker = method.getAnnotation(OperationMarker.class);
            assertThat(marker.method()).as(operation.name()).isEqualToIgnoringCase(operation.method());
            assertThat(marker.path()).as(operation.name()).isEqualTo(operation.pathTemplate());
            Set<String> parameters = new TreeSet<>();
            for (Parameter parameter : method.getParameters()) {
                GeneratedParam name = parameter.getAnnotation(GeneratedParam.class);
                if (name != null && !name.value().equals("organizationId")) {
                    parameters.add(name.value());
                }
            }
            assertThat(parameters).as(operation.name()).isEqualTo(new TreeSet<>(operation.parameters().stream()
                    .map(OperationParameter::name).toList()));
        }
    }

    @Test
    void noGeneratedMethodIsLeftOver() throws Exception {
        assertThat(generated().keySet()).isEqualTo(new TreeSet<>(catalog.names()));
    }

    private Map<String, Method> generated() throws ClassNotFoundException {
        Map<String, Method> byOperation = new TreeMap<>();
        for (String group : catalog.groups()) {
            Class<?> api = Class.forName(GENERATED + Character.toUpperCase(group.charAt(0)) + group.substring(1) + "Api");
            for (Method method : api.getMethods()) {
                GeneratedMethod marker = method.getAnnotation(GeneratedMethod.class);
                if (marker != null) {
                    assertThat(byOperation.put(marker.value(), method)).as("one method for " + marker.value()).isNull();
                }
            }
        }
        return byOperation;
    }
}
