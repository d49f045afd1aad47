package dev.switchboard.tenancy;

import java.util.List;

/** Which organization a call acts on, as {@link OrganizationRules} decided it. */
public sealed interface Resolution {

    /** What the key reaches, narrowed by the agency when one is given. */
    List<Identity.OrganizationRef> reachable();

    record Resolved(ActiveOrganization active) implements Resolution {
        @Override
        public List<Identity.OrganizationRef> reachable() {
            return active.reachable();
        }
    }

    /**
     * No organization can be vouched for, but the key is valid: listing and switching organizations still work, every
     * other tool fails with the message.
     */
    record Unresolved(List<Identity.OrganizationRef> reachable, TenancyException.Reason reason, String message)
            implements Resolution {
    }
}
