package dev.switchboard.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InProcessStateStoreTest extends StateStoreContract {

    private final InProcessStateStore store = new InProcessStateStore(Optional.empty());

    @Override
    StateStore store() {
        return store;
    }

    @Test
    void overridesSurviveARestartThroughTheSessionFile(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("session.json");
        String key = Credentials.hash("some key");
        new InProcessStateStore(Optional.of(file)).setActiveOrganization(key, "org_globex", Duration.ofHours(1))
                .await().indefinitely();
        assertThat(Files.readString(file)).contains(key).contains("org_globex").doesNotContain("some key");
        InProcessStateStore restarted = new InProcessStateStore(Optional.of(file));
        assertThat(restarted.admit(key, 0, TTL).await().indefinitely().activeOrganization()).contains("org_globex");
        restarted.clearActiveOrganization(key).await().indefinitely();
        assertThat(new InProcessStateStore(Optional.of(file)).admit(key, 0, TTL).await().indefinitely().activeOrganization()).isEmpty();
    }
}
