package dev.switchboard.tenancy;

import java.util.List;

import dev.switchboard.support.Gateway;

/** Set-up shared by the tenancy feature tests, which share one application with every other default-profile class. */
final class FreshTenancy {

    private FreshTenancy() {
    }

    /** A freshly seeded sandbox, and no demo key left switched to another organization by an earlier test. */
    static void reset(StateStore store) {
        Gateway.resetSandbox();
        for (String key : List.of(Gateway.ALICE, Gateway.BOB, Gateway.AGENCY, Gateway.LEGACY, Gateway.MASTER)) {
            store.delete(CallerHeadersAccess.hash(key), StateStore.Field.ACTIVE_ORGANIZATION).await().indefinitely();
        }
    }
}
