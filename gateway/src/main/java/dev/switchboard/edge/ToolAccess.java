package dev.switchboard.edge;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import jakarta.inject.Singleton;

/**
 * Which tools change the workspace, declared by whoever registers them, so that the edge can refuse them to an OAuth
 * token that grants reading only (HTTP 403 insufficient_scope, before the call runs). The operation runner writes or
 * not by the operation it is asked to run.
 */
@Singleton
public class ToolAccess {

    private final Set<String> writes = ConcurrentHashMap.newKeySet();
    private final Set<String> runners = ConcurrentHashMap.newKeySet();
    private volatile Predicate<String> operationReads = operation -> false;

    /** A tool that changes the workspace. */
    public void writes(String tool) {
        writes.add(tool);
    }

    /** A tool that runs the operation its {@code operation} argument names; {@code reads} says which only read. */
    public void runsOperations(String tool, Predicate<String> reads) {
        runners.add(tool);
        operationReads = reads;
    }

    boolean readOnly(String tool, Object operation) {
        if (runners.contains(tool)) {
            return operation instanceof String name && operationReads.test(name);
        }
        return !writes.contains(tool);
    }
}
