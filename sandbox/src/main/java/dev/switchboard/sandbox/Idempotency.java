package dev.switchboard.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Idempotency-Key semantics: within 24 hours the same key with the same request replays the first successful answer
 * without acting again; the same key with another request is refused with 409. Keys are scoped per API key and
 * organization. Callers hold the organization's lock, so concurrent duplicates are serialized.
 */
final class Idempotency {

    static final Duration RETENTION = Duration.ofHours(24);

    record Stored(String fingerprint, int status, String body, Instant expires) {
    }

    private final Map<String, Stored> entries = new ConcurrentHashMap<>();

    Optional<Stored> replay(String scope, String fingerprint) {
        Stored stored = entries.get(scope);
        if (stored == null || stored.expires().isBefore(Instant.now())) {
            return Optional.empty();
        }
        if (!stored.fingerprint().equals(fingerprint)) {
            throw new SandboxException(409, "idempotency_key_reused", "This Idempotency-Key was already used with a "
                    + "different request in the last 24 hours; use a new key for a new request.");
        }
        return Optional.of(stored);
    }

    void remember(String scope, String fingerprint, int status, String body) {
        entries.put(scope, new Stored(fingerprint, status, body, Instant.now().plus(RETENTION)));
        if (entries.size() % 1024 == 0) {
            Instant now = Instant.now();
            for (Iterator<Stored> it = entries.values().iterator(); it.hasNext();) {
                if (it.next().expires().isBefore(now)) {
                    it.remove();
                }
            }
        }
    }

    void clear() {
        entries.clear();
    }

    /** Method, path, query and body with object keys sorted, so that key order does not matter. */
    static String fingerprint(String method, String path, JsonNode query, JsonNode body) {
        return method + " " + path + " " + canonical(query) + " " + (body == null ? "" : canonical(body));
    }

    private static JsonNode canonical(JsonNode node) {
        if (node == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (node.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            node.fields().forEachRemaining(e -> sorted.put(e.getKey(), canonical(e.getValue())));
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            sorted.forEach(copy::set);
            return copy;
        }
        if (node.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(canonical(element)));
            return copy;
        }
        return node;
    }
}
