package dev.switchboard.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository's root: deploy/, k8s/ and bench/ live there, beside the modules. Tests run in the gateway module's
 * directory (gateway/), so paths of the gateway itself (target/, src/) stay relative to it.
 */
public final class RepoRoot {

    /** The root directory, absolute. */
    public static final Path DIRECTORY = find();

    private RepoRoot() {
    }

    /** A file or directory of the repository, relative to its root (for example {@code deploy/check.sh}). */
    public static Path resolve(String relative) {
        return DIRECTORY.resolve(relative);
    }

    private static Path find() {
        Path module = Path.of("").toAbsolutePath();
        for (Path candidate = module; candidate != null; candidate = candidate.getParent()) {
            if (Files.isDirectory(candidate.resolve("gateway")) && Files.isRegularFile(candidate.resolve("pom.xml"))
                    && Files.isDirectory(candidate.resolve("deploy"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no repository root (with gateway/, deploy/ and pom.xml) above " + module);
    }
}
