package dev.switchboard.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.RepoRoot;

/**
 * The gateway's workarounds are written for one release of the MCP library: a new release may fix what they answer, or
 * break what they rely on. This test names the release and the page that lists them, so that an upgrade is a review of
 * that list, not a surprise; and it keeps the list and the code's marks in step.
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
    }

    /**
     * Each row of the page and the {@code @LibraryWorkaround} marks in the code agree: a row's classes carry a mark of
     * its number (unless the row says it is not worked around), and a mark's row names the class it is in.
     */
    @Test
    void theListAndTheMarksInTheCodeAgree() throws IOException {
        String page = Files.readString(RepoRoot.resolve("docs/library-workarounds.md"));
        Pattern row = Pattern.compile("^\\| (\\d+) \\|[^|]*\\|([^|]*)\\|", Pattern.MULTILINE);
        Pattern named = Pattern.compile("`([a-z]+)/([A-Z]\\w+)");
        Map<Integer, Set<String>> rows = new TreeMap<>();
        for (Matcher entry = row.matcher(page); entry.find();) {
            Set<String> classes = new TreeSet<>();
            for (Matcher name = named.matcher(entry.group(2)); name.find();) {
                Path source = SOURCES.resolve(name.group(1)).resolve(name.group(2) + ".java");
                assertThat(source).as("row %s names %s/%s", entry.group(1), name.group(1), name.group(2)).exists();
                classes.add(name.group(1) + "/" + name.group(2));
            }
            if (!entry.group(2).contains("not worked around")) {
                rows.put(Integer.valueOf(entry.group(1)), classes);
            }
        }
        assertThat(rows).as("rows of docs/library-workarounds.md").hasSizeGreaterThan(5);

        Map<Integer, Set<String>> marks = new TreeMap<>();
        Pattern mark = Pattern.compile("@LibraryWorkaround\\(\\s*entry\\s*=\\s*\\{?([\\d,\\s]+)");
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String relative = SOURCES.relativize(file).toString().replace('\\', '/').replace(".java", "");
                for (Matcher found = mark.matcher(Files.readString(file)); found.find();) {
                    for (String number : found.group(1).split(",")) {
                        marks.computeIfAbsent(Integer.valueOf(number.trim()), n -> new TreeSet<>()).add(relative);
                    }
                }
            }
        }
        rows.forEach((number, classes) -> assertThat(marks.getOrDefault(number, Set.of()))
                .as("row %d names %s: one of them carries @LibraryWorkaround(entry = %d)", number, classes, number)
                .containsAnyElementsOf(classes));
        marks.forEach((number, classes) -> assertThat(rows.getOrDefault(number, Set.of()))
                .as("@LibraryWorkaround(entry = %d) in %s: its row names the class", number, classes)
                .containsAll(classes));
    }

    private static final Path SOURCES = RepoRoot.resolve("gateway/src/main/java/dev/switchboard");
}
