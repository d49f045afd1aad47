package dev.switchboard.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.json.JsonObject;

/**
 * Cancellations a client sent, known to every replica: a {@code notifications/cancelled} may reach a replica other than
 * the one running the call (no sticky sessions), and the MCP library matches cancellations only within its own
 * connection. Keyed by the client's session id and the request id; kept a few minutes.
 */
@ApplicationScoped
public class Cancellations {

    private static final String CHANNEL = "cancel";
    /** The "session" a task's cancellation is kept under: a task id is unique on its own. */
    public static final String TASKS = "task";
    private static final long KEEP_NANOS = 5L * 60 * 1_000_000_000;
    private static final int MAX_ENTRIES = 100_000;

    private final ReplicaBus bus;
    private final Map<String, Long> cancelled = new ConcurrentHashMap<>();

    Cancellations(ReplicaBus bus) {
        this.bus = bus;
    }

    void register(@Observes @Priority(100) StartupEvent started) {
        bus.on(CHANNEL, message -> {
            JsonObject cancel = new JsonObject(message);
            remember(cancel.getString("session"), cancel.getString("request"));
        });
    }

    /** A client cancelled a request of its session: tell every replica. */
    public void cancel(String sessionId, String requestId) {
        remember(sessionId, requestId);
        if (bus.shared()) {
            bus.publish(CHANNEL, new JsonObject().put("session", sessionId).put("request", requestId).encode());
        }
    }

    public boolean isCancelled(String sessionId, String requestId) {
        if (sessionId == null || requestId == null || cancelled.isEmpty()) {
            return false;
        }
        Long at = cancelled.get(key(sessionId, requestId));
        return at != null && System.nanoTime() - at < KEEP_NANOS;
    }

    private void remember(String sessionId, String requestId) {
        if (sessionId == null || requestId == null) {
            return;
        }
        long now = System.nanoTime();
        if (cancelled.size() > MAX_ENTRIES) {
            cancelled.values().removeIf(at -> now - at > KEEP_NANOS);
        }
        cancelled.put(key(sessionId, requestId), now);
    }

    private static String key(String sessionId, String requestId) {
        return sessionId + "\u0000" + requestId;
    }
}
