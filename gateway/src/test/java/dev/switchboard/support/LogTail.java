package dev.switchboard.support;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the gateway logged after a point in time: the test log file is shared by every test of the run and never
 * cleared, so a test reads only what was written after its mark, and an assertion about it can fail.
 */
public final class LogTail {

    public static final Path GATEWAY_LOG = Path.of("target/test-logs/gateway.log");

    private final Path file;
    private final long start;

    private LogTail(Path file, long start) {
        this.file = file;
        this.start = start;
    }

    /** Marks the current end of the gateway's test log. */
    public static LogTail mark() {
        return mark(GATEWAY_LOG);
    }

    public static LogTail mark(Path file) {
        try {
            return new LogTail(file, Files.exists(file) ? Files.size(file) : 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The lines written since the mark. */
    public List<String> lines() {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (length <= start) {
                return List.of();
            }
            byte[] bytes = new byte[(int) (length - start)];
            in.seek(start);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
