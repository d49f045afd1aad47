package dev.switchboard.sandbox;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Map;

import dev.switchboard.contract.model.Whoami;

/** auth_whoami, organizations_index and organizations_get. */
final class IdentityHandlers extends Handlers {

    private static final OffsetDateTime KEYS_ISSUED = OffsetDateTime.parse("2025-06-02T08:00:00Z");

    IdentityHandlers(Jobs jobs, Clock clock) {
        super(jobs, clock);
    }

    @Override
    void register(Map<String, OperationHandler> handlers) {
        handlers.put("auth_whoami", request -> {
            SandboxKey key = request.key();
            Whoami whoami = new Whoami().keyId(key.id())
                    .kind(Whoami.KindEnum.fromString(key.kind().name().toLowerCase(java.util.Locale.ROOT)))
                    .agencyIds(key.agencyIds())
                    .createdAt(KEYS_ISSUED);
            key.userId().flatMap(request.directory()::user).ifPresent(whoami::user);
            key.defaultOrganizationId().ifPresent(whoami::defaultOrganizationId);
            return whoami;
        });
        handlers.put("organizations_index", request -> page(request.directory().reachable(request.key()), request));
        handlers.put("organizations_get", request -> request.org().organization);
    }
}
