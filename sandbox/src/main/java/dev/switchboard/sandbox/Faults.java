package dev.switchboard.sandbox;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Faults injected into sandbox answers, switched on and off at run time through the control endpoint. Only the
 * sandbox has them: with a real backend configured there is no way to reach this.
 */
final class Faults {

    enum Phase {
        /** Before the operation acts: nothing happened. */
        BEFORE,
        /** After the operation acted: the change is made but the caller is told otherwise. */
        AFTER
    }

    /**
     * @param operation an operationId, or * for every operation
     * @param probability chance in [0, 1] that a matching request is hit
     * @param latencyMs delay added to the answer
     * @param status error status to answer (500, 502, 503 or 429), or 0 for none
     * @param retryAfterSeconds Retry-After of a 429 or 503, 0 for none
     * @param drop close the connection instead of answering
     * @param times how many requests to hit at most, 0 for no limit
     */
    record Rule(String id, String operation, double probability, long latencyMs, int status, int retryAfterSeconds,
            boolean drop, Phase phase, int times) {
    }

    record Hit(Rule rule) {
    }

    private final List<Armed> rules = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    private record Armed(Rule rule, AtomicInteger used) {
    }

    Rule add(Rule rule) {
        Rule withId = new Rule("fault_" + ids.incrementAndGet(), rule.operation(), rule.probability(), rule.latencyMs(),
                rule.status(), rule.retryAfterSeconds(), rule.drop(), rule.phase() == null ? Phase.BEFORE : rule.phase(),
                rule.times());
        rules.add(new Armed(withId, new AtomicInteger()));
        return withId;
    }

    List<Rule> list() {
        return rules.stream().map(Armed::rule).toList();
    }

    boolean remove(String id) {
        return rules.removeIf(armed -> armed.rule().id().equals(id));
    }

    void clear() {
        rules.clear();
    }

    /** The first rule that matches the operation and wins its roll, if any. */
    Optional<Rule> roll(String operation) {
        for (Armed armed : rules) {
            Rule rule = armed.rule();
            if (!rule.operation().equals("*") && !rule.operation().equals(operation)) {
                continue;
            }
            if (ThreadLocalRandom.current().nextDouble() >= rule.probability()) {
                continue;
            }
            if (rule.times() > 0 && armed.used().incrementAndGet() > rule.times()) {
                continue;
            }
            return Optional.of(rule);
        }
        return Optional.empty();
    }
}
