package dev.switchboard.tenancy;

import java.util.List;

/**
 * The organization a call acts on, why, and what else the caller could reach.
 *
 * @param reachable the organizations the key reaches, narrowed by X-Agency-ID when given
 */
public record ActiveOrganization(Identity.OrganizationRef organization, Source source, List<Identity.OrganizationRef> reachable) {

    /** Why this organization: the resolution order of the README. */
    public enum Source {
        HEADER,
        OVERRIDE,
        DEFAULT,
        OLDEST;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
