package dev.switchboard.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.RepoRoot;

/**
 * The gateway's workarounds are written for one release of the MCP library: a new release may fix what they answer, or
 * break what they rely on. This test names the release and the page that lists them, so that an upgrade is a review of
 * that list, not a surprise.
 */
class LibraryVersionTest {

    private static final String WORKED_AROUND = "1.13.0";

    @Test
    void theWorkaroundsAreWrittenForTheLibraryInUse() throws IOException {
        Properties library = new Properties();
        try (InputStream in = io.quarkiverse.mcp.server.ToolManager.class
                .getResourceAsStream("/META-INF/maven/io.quarkiverse.mcp/quarkus-mcp-server-core/pom.properties")) {
            assertThat(in).as("the MCP library's Maven properties").isNotNull();
            library.load(in);
        }
        assertThat(library.getProperty("version"))
                .as("quarkus-mcp-server is no longer %s: check each entry of docs/library-workarounds.md against the new "
                        + "release, drop what it fixes, then update this test", WORKED_AROUND)
                .isEqualTo(WORKED_AROUND);
        String page = Files.readString(RepoRoot.resolve("docs/library-workarounds.md"));
        assertThat(page).contains("quarkus-mcp-server " + WORKED_AROUND);
        // every class the page names exists: a workaround moved or removed is moved or removed on the page too
        java.util.regex.Matcher named = java.util.regex.Pattern.compile("`(edge|mcp|observability)/(\\w+)").matcher(page);
        int count = 0;
        while (named.find()) {
            count++;
            assertThat(RepoRoot.resolve("gateway/src/main/java/dev/switchboard/" + named.group(1) + "/" + named.group(2) + ".java"))
                    .as("docs/library-workarounds.md names %s/%s", named.group(1), named.group(2)).exists();
        }
        assertThat(count).isGreaterThan(5);
    }
}
