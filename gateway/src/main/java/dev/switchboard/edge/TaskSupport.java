package dev.switchboard.edge;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

/**
 * Which tools may run as a task (tasks extension), declared by whoever registers the tool: the workspace's long
 * operations may (a client that does not follow tasks gets them followed to their end, with progress); a tool that
 * cannot serve a client without tasks requires them (refused with -32021 for such a client).
 */
@Singleton
public class TaskSupport {

    public enum Mode {
        OPTIONAL, REQUIRED
    }

    private final Map<String, Mode> modes = new ConcurrentHashMap<>();

    public void declare(String tool, Mode mode) {
        modes.put(tool, mode);
    }

    Optional<Mode> of(String tool) {
        return Optional.ofNullable(modes.get(tool));
    }
}
