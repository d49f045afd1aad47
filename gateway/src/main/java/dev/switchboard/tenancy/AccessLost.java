package dev.switchboard.tenancy;

/**
 * The workspace refused a call in a way that changes what tenancy knows: the key is no longer valid (401), or it no
 * longer reaches the organization the call acted on (403). Fired by whoever made the call; tenancy observes it and
 * forgets what it cached.
 */
public sealed interface AccessLost {

    String principal();

    record KeyRefused(String principal) implements AccessLost {
    }

    /** @param viaOverride the organization came from the key's switch, which must then go */
    record OrganizationRefused(String principal, String organizationId, boolean viaOverride) implements AccessLost {
    }

    static AccessLost keyRefused(Caller caller) {
        return new KeyRefused(caller.principal());
    }

    static AccessLost organizationRefused(Caller caller) {
        ActiveOrganization active = caller.active();
        return new OrganizationRefused(caller.principal(), active.organization().id(),
                active.source() == ActiveOrganization.Source.OVERRIDE);
    }
}
