package dev.switchboard.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.switchboard.tenancy.StateStore.Field;

class InProcessStateStoreTest extends StateStoreContract {

    private final InProcessStateStore store = new InProcessStateStore(Optional.empty());

    @Override
    StateStore store() {
        return store;
    }

    @Test
    void switchesSurviveARestartThroughTheSessionFile(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("session.json");
        String principal = principal();
        new InProcessStateStore(Optional.of(file)).write(principal, Field.ACTIVE_ORGANIZATION, "org_globex",
                Duration.ofHours(1)).await().indefinitely();
        assertThat(Files.readString(file)).contains(principal).contains("org_globex");
        InProcessStateStore restarted = new InProcessStateStore(Optional.of(file));
        assertThat(restarted.read(principal, Field.ACTIVE_ORGANIZATION).await().indefinitely()).contains("org_globex");
        restarted.delete(principal, Field.ACTIVE_ORGANIZATION).await().indefinitely();
        assertThat(new InProcessStateStore(Optional.of(file)).read(principal, Field.ACTIVE_ORGANIZATION).await()
                .indefinitely()).isEmpty();
    }
}
