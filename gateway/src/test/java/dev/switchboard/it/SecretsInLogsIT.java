package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Runs after the whole suite (integration tests come after the unit tests) and searches every log it wrote: the
 * gateway logs of all test profiles (target/test-logs) and of every process started here (target/it-logs). API keys
 * must appear nowhere; the only exception is the sandbox's start-up banner, which lists the public demo keys.
 */
class SecretsInLogsIT {

    /** Keys the tests send that are not demo keys: they must never be written anywhere. */
    private static final List<String> NEVER = List.of("sbx_unknown_key", "sbx_guessing_keys", "sbx_nobody");
    private static final List<String> DEMO = List.of("sbx_alice", "sbx_bob", "sbx_agency", "sbx_legacy_initech", "sbx_master",
            "sbx_revoked");

    @Test
    void noKeyIsLogged() throws IOException {
        List<Path> logs = new ArrayList<>();
        for (Path directory : List.of(Path.of("target/test-logs"), GatewayProcess.LOGS)) {
            if (Files.isDirectory(directory)) {
                try (Stream<Path> files = Files.list(directory)) {
                    files.filter(Files::isRegularFile).forEach(logs::add);
                }
            }
        }
        assertThat(logs).as("the test suite wrote logs").isNotEmpty();
        long lines = 0;
        for (Path log : logs) {
            List<String> records = records(Files.readString(log));
            for (String record : records) {
                lines++;
                assertThat(record).as("in %s", log).doesNotContainIgnoringCase("Bearer sbx_").doesNotContain("hunter2");
                for (String key : NEVER) {
                    assertThat(record).as("in %s", log).doesNotContain(key);
                }
                if (!record.contains("Demo keys:")) {
                    for (String key : DEMO) {
                        assertThat(record).as("in %s", log).doesNotContain(key);
                    }
                }
            }
        }
        assertThat(lines).isGreaterThan(1000);
    }

    /** Log records: a record starts with a timestamp; continuation lines (the banner) belong to the one before. */
    private static List<String> records(String text) {
        List<String> records = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.matches("^\\d{4}-\\d{2}-\\d{2}[ T].*") || line.startsWith("{\"timestamp\"") || line.startsWith("switchboard:")) {
                if (!current.isEmpty()) {
                    records.add(current.toString());
                }
                current.setLength(0);
            }
            current.append(line).append('\n');
        }
        if (!current.isEmpty()) {
            records.add(current.toString());
        }
        return records;
    }
}
