package dev.switchboard.sandbox;

import java.util.List;
import java.util.Optional;

/**
 * An API key of the sandbox. Which organizations it reaches is decided by {@link Directory}, because user memberships
 * can change at run time.
 */
record SandboxKey(String secret, String id, Kind kind, Optional<String> userId, Optional<String> defaultOrganizationId,
        List<String> agencyIds, boolean revoked) {

    enum Kind {
        USER,
        LEGACY,
        MASTER
    }
}
