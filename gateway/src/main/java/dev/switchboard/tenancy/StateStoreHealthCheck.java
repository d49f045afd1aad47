package dev.switchboard.tenancy;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;

import dev.switchboard.observability.GatewayMetrics;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.Wellness;
import io.smallrye.mutiny.Uni;

/**
 * Whether the state store answers, in the health details (/q/health/well) and the switchboard_dependency_up metric,
 * not in readiness: Redis is shared by every replica, and taking them all out of the load balancer during its outage
 * would replace the gateway's clear answers (calls fail closed, pinned calls still work) with no endpoint at all.
 */
@Wellness
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
                .map(ok -> {
                    metrics.stateStoreUp(true);
                    return HealthCheckResponse.named("state-store").up().withData("store", store.kind()).build();
                })
                .onFailure().recoverWithItem(failure -> {
                    metrics.stateStoreError("ping");
                    metrics.stateStoreUp(false);
                    return HealthCheckResponse.named("state-store").down().withData("store", store.kind())
                            .withData("error", "unreachable").build();
                });
    }
}
