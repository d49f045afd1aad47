package dev.switchboard.tenancy;

import java.util.List;

/**
 * What an API key is and what it reaches, as the Workspace API answered (auth_whoami and organizations_index);
 * cached in the state store for a short time. Holds no secret.
 *
 * @param organizations reachable organizations, oldest first
 */
public record Identity(String keyId, KeyKind kind, String userName, String defaultOrganizationId, List<String> agencyIds,
        List<OrganizationRef> organizations) {

    public enum KeyKind {
        USER,
        LEGACY,
        MASTER;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** An organization as the envelope shows it. */
    public record OrganizationRef(String id, String name, String slug, String agencyId) {
    }

}
