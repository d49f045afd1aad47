package dev.switchboard.tenancy;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.switchboard.observability.GatewayMetrics;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/** Ready only while the state store answers: without it the gateway fails calls closed. */
@Readiness
@ApplicationScoped
class StateStoreHealthCheck implements AsyncHealthCheck {

    private final StateStore store;
    private final GatewayMetrics metrics;

    StateStoreHealthCheck(StateStore store, GatewayMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return store.ping()
                .ifNoItem().after(Duration.ofSeconds(3)).fail()
                .map(ok -> HealthCheckResponse.named("state-store").up().withData("store", store.kind()).build())
                .onFailure().recoverWithItem(failure -> {
                    metrics.stateStoreError("ping");
                    return HealthCheckResponse.named("state-store").down().withData("store", store.kind())
                            .withData("error", "unreachable").build();
                });
    }
}
