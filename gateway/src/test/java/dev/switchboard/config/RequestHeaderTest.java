package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.RepoRoot;

/** The header table drives every place a header appears; the documentation lists each one with its stdio setting. */
class RequestHeaderTest {

    @Test
    void everyTransportTakesItsHeadersFromTheTable() {
        for (RequestHeader header : RequestHeader.values()) {
            if (header.role() == RequestHeader.Role.INTERNAL || header.role() == RequestHeader.Role.RELAY) {
                assertThat(RequestHeader.corsAllowed()).as("set by the gateway only").doesNotContain(header.wireName());
            } else {
                assertThat(RequestHeader.corsAllowed()).contains(header.wireName());
            }
        }
        assertThat(RequestHeader.forwardedAcrossReplicas()).contains("authorization", "x-company-id", "x-agency-id",
                "x-account-id", "mcp-protocol-version");
        assertThat(RequestHeader.forwardedAcrossReplicas()).as("each replica has its own bridge token")
                .doesNotContain("x-stdio-bridge-token", "x-relayed-client");
        assertThat(RequestHeader.credentials()).extracting(RequestHeader::wireName)
                .containsExactly("Authorization", "X-Company-ID", "X-Agency-ID", "x-account-id");
        assertThat(RequestHeader.caller()).extracting(RequestHeader::wireName)
                .containsExactly("Authorization", "X-Company-ID", "X-Agency-ID", "x-account-id", "X-Acting-User");
    }

    @Test
    void theDocumentationListsEveryCredentialHeaderWithItsStdioSetting() throws IOException {
        String docs;
        try (Stream<Path> files = Stream.concat(Stream.of(RepoRoot.resolve("README.md")),
                Files.isDirectory(RepoRoot.resolve("docs")) ? Files.walk(RepoRoot.resolve("docs")) : Stream.empty())) {
            docs = files.filter(file -> file.toString().endsWith(".md")).map(file -> {
                try {
                    return Files.readString(file);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).collect(Collectors.joining("\n"));
        }
        for (RequestHeader header : RequestHeader.credentials()) {
            String row = docs.lines().filter(line -> line.startsWith("| `" + header.wireName())).findFirst().orElse(null);
            assertThat(row).as("a table row for %s", header.wireName()).isNotNull();
            assertThat(row).contains(header.stdioSetting().map(setting -> "`" + setting + "`").orElse("(none)"));
        }
    }
}
