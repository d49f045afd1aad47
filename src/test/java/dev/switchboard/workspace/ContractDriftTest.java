package dev.switchboard.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.catalog.Operation;
import dev.switchboard.catalog.OperationCatalog;
import io.quarkiverse.openapi.generator.annotations.GeneratedMethod;
import io.quarkiverse.openapi.generator.markers.OperationMarker;

/**
 * The REST clients are generated from the contract at build time; this checks that every contract operation is
 * bound to exactly one generated method with the same method, path and parameters, and that no generated method is
 * left unbound. A contract edit that the clients do not follow fails here (and at start-up).
 */
class ContractDriftTest {

    private final OperationCatalog catalog = new OperationCatalog();

    @Test
    void everyOperationBindsToItsGeneratedMethod() {
        for (Operation operation : catalog.all()) {
            OperationBinding binding = OperationBinding.bind(operation, new ObjectMapper());
            OperationMarker marker = binding.method().getAnnotation(OperationMarker.class);
            assertThat(marker.method()).as(operation.name()).isEqualToIgnoringCase(operation.method());
            assertThat(marker.path()).as(operation.name()).isEqualTo(operation.pathTemplate());
        }
    }

    @Test
    void noGeneratedMethodIsLeftOver() {
        Set<String> generated = new TreeSet<>();
        List<String> groups = new ArrayList<>(catalog.groups());
        for (String group : groups) {
            for (Method method : OperationBinding.apiFor(group).getMethods()) {
                GeneratedMethod marker = method.getAnnotation(GeneratedMethod.class);
                if (marker != null) {
                    generated.add(marker.value());
                }
            }
        }
        assertThat(generated).isEqualTo(new TreeSet<>(catalog.names()));
    }
}
