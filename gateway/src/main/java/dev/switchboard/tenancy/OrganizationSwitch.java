package dev.switchboard.tenancy;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.observability.GatewayMetrics;
import io.smallrye.mutiny.Uni;

/** organizations_switch: the key's 24-hour choice of organization, shared by every replica through the state store. */
@ApplicationScoped
public class OrganizationSwitch {

    private final StateStore store;
    private final Admission admission;
    private final GatewayMetrics metrics;

    OrganizationSwitch(StateStore store, Admission admission, GatewayMetrics metrics) {
        this.store = store;
        this.admission = admission;
        this.metrics = metrics;
    }

    /**
     * @return the organization now active
     * @throws TenancyException (as a failed Uni) when the key may not switch, or the target is not reachable
     */
    public Uni<Identity.OrganizationRef> switchTo(Caller caller, String organizationId) {
        Credentials credentials = caller.credentials();
        if (caller.identity().kind() == Identity.KeyKind.LEGACY) {
            Identity.OrganizationRef only = caller.reachable().get(0);
            return refused("This is a legacy organization-scoped key: it always acts on " + only.name() + " (" + only.id()
                    + ") and cannot switch. Use a per-user key to work across organizations.");
        }
        if (credentials.companyId().isPresent()) {
            return refused(credentials.source().companyPin() + " pins this connection to " + credentials.companyId().get()
                    + "; a switch would have no effect. Remove it from the client configuration to switch.");
        }
        Optional<Identity.OrganizationRef> target = caller.reachable().stream()
                .filter(o -> o.id().equals(organizationId)).findFirst();
        if (target.isEmpty()) {
            return refused("Organization " + organizationId + " is not reachable with this API key"
                    + credentials.agencyId().map(a -> " through agency " + a).orElse("") + ". It reaches: "
                    + OrganizationRules.describe(caller.reachable()) + ".");
        }
        Uni<Void> write = store.write(caller.principal(), StateStore.Field.ACTIVE_ORGANIZATION, organizationId,
                admission.overrideTtl());
        // a switch is idempotent: one the store could not confirm (a failover under way) is written once more, which
        // lands on the promoted replica if Sentinel has named it meanwhile
        return write.onFailure(StateStoreUnavailable.Unconfirmed.class).recoverWithUni(() -> write)
                .onFailure(StateStoreUnavailable.class).transform(failure -> {
                    metrics.stateStoreError("write");
                    metrics.organizationSwitch("refused");
                    return new TenancyException(TenancyException.Reason.STATE_STORE_UNAVAILABLE,
                            failure instanceof StateStoreUnavailable.Unconfirmed
                                    ? "The organization state store took the switch but could not confirm that it will "
                                            + "survive a Redis failover under way, so it may or may not hold. Switch again in "
                                            + "a few seconds, then check which organization is active."
                                    : "The organization state store is unavailable; the switch was not saved. Retry in a few "
                                            + "seconds.");
                })
                .invoke(() -> metrics.organizationSwitch("ok"))
                .replaceWith(target.get());
    }

    private Uni<Identity.OrganizationRef> refused(String message) {
        metrics.organizationSwitch("refused");
        return Uni.createFrom().failure(new TenancyException(TenancyException.Reason.NO_ACTIVE_ORGANIZATION, message));
    }
}
