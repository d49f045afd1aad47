package dev.switchboard.tenancy;

import java.util.List;
import java.util.Optional;

/**
 * A caller admitted for one tool call: who it is, and the organization the call acts on, or, when tenancy cannot vouch
 * for one, why not.
 *
 * @param principal the keyed fingerprint the caller's state is kept under ({@link Principals})
 * @param resolution the active organization, or the reason there is none
 * @param stored what the call asked the state store for besides (see {@link Admission#admit(Credentials, Optional)})
 */
public record Caller(Credentials credentials, String principal, Identity identity, Resolution resolution,
        Optional<String> stored) {

    /** The organization a call acts on; fails with the reason when there is none. */
    public ActiveOrganization active() {
        if (resolution instanceof Resolution.Resolved resolved) {
            return resolved.active();
        }
        Resolution.Unresolved unresolved = (Resolution.Unresolved) resolution;
        throw new TenancyException(unresolved.reason(), unresolved.message());
    }

    public Identity.OrganizationRef organization() {
        return active().organization();
    }

    /** The organization, when one is active. */
    public Optional<Identity.OrganizationRef> organizationIfKnown() {
        return resolution instanceof Resolution.Resolved resolved ? Optional.of(resolved.active().organization())
                : Optional.empty();
    }

    /** What the key reaches, narrowed by the agency when one is given. */
    public List<Identity.OrganizationRef> reachable() {
        return resolution.reachable();
    }
}
