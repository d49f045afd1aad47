package dev.switchboard.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import dev.switchboard.config.RedisSettings;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Messages between the replicas of one deployment, through Redis publish/subscribe (which the gateway already depends
 * on to share organization state): a legacy SSE message posted to a replica that does not hold the stream, a client's
 * cancellation of a call running elsewhere. Without Redis there is one replica, and messages stay in the process.
 */
@ApplicationScoped
public class ReplicaBus {

    private static final Logger LOG = Logger.getLogger(ReplicaBus.class);
    private static final String PREFIX = "mcp:bus:";
    private static final String REPLY_PREFIX = "reply:";

    private final String replicaId = UUID.randomUUID().toString().substring(0, 12);
    private final RedisSettings settings;
    private final Instance<ReactiveRedisDataSource> redis;
    private final Vertx vertx;
    private final Map<String, List<Consumer<String>>> handlers = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
    private volatile boolean subscribed;

    ReplicaBus(RedisSettings settings, Instance<ReactiveRedisDataSource> redis, Vertx vertx) {
        this.settings = settings;
        this.redis = redis;
        this.vertx = vertx;
        on(REPLY_PREFIX + replicaId, this::replied);
    }

    /** This process among the replicas. */
    public String replicaId() {
        return replicaId;
    }

    /** Whether other replicas can be reached (Redis is configured). */
    public boolean shared() {
        return settings.configured();
    }

    /** Delivers messages of a channel to this process. Register before start-up ends. */
    public void on(String channel, Consumer<String> handler) {
        handlers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(handler);
    }

    /** Sends to every replica subscribed to the channel, this one included. */
    public void publish(String channel, String message) {
        if (!settings.configured()) {
            deliver(channel, message);
            return;
        }
        redis.get().pubsub(String.class).publish(PREFIX + channel, message)
                .subscribe().with(ignored -> {
                }, failure -> LOG.debugf("A message to the other replicas was lost: %s", failure.getMessage()));
    }

    /** Sends to the replicas subscribed to the channel; answers how many received it. */
    public Uni<Long> publishCounted(String channel, String message) {
        if (!settings.configured()) {
            deliver(channel, message);
            return Uni.createFrom().item(handlers.containsKey(channel) ? 1L : 0L);
        }
        return redis.get().execute("PUBLISH", PREFIX + channel, message).map(response -> response.toLong());
    }

    /**
     * Answers requests sent to a channel with {@link #request}: the handler's answer goes back to the asking replica.
     * Register before start-up ends.
     */
    public void answer(String channel, Function<String, String> handler) {
        on(channel, envelope -> {
            JsonObject request = new JsonObject(envelope);
            String reply = handler.apply(request.getString("message"));
            publish(REPLY_PREFIX + request.getString("from"), new JsonObject().put("id", request.getString("id"))
                    .put("answer", reply).encode());
        });
    }

    /**
     * Sends a request to the replicas answering a channel and waits for the first answer, for at most {@code wait}.
     *
     * @return the answer; empty when no replica listens on the channel (it is gone); fails on time-out
     */
    public Uni<Optional<String>> request(String channel, String message, Duration wait) {
        String id = UUID.randomUUID().toString();
        CompletableFuture<String> answer = new CompletableFuture<>();
        pending.put(id, answer);
        String envelope = new JsonObject().put("id", id).put("from", replicaId).put("message", message).encode();
        return publishCounted(channel, envelope).flatMap(receivers -> receivers == 0
                ? Uni.createFrom().item(Optional.<String> empty())
                : Uni.createFrom().completionStage(answer).map(Optional::of).ifNoItem().after(wait).fail())
                .onTermination().invoke(() -> pending.remove(id));
    }

    private void replied(String envelope) {
        JsonObject reply = new JsonObject(envelope);
        CompletableFuture<String> waiting = pending.remove(reply.getString("id"));
        if (waiting != null) {
            waiting.complete(reply.getString("answer"));
        }
    }

    /** After every component registered its channels (they do so at a higher priority). */
    void start(@Observes @Priority(5000) StartupEvent started) {
        if (settings.configured() && !handlers.isEmpty()) {
            subscribe();
        }
    }

    private void subscribe() {
        List<String> channels = handlers.keySet().stream().map(c -> PREFIX + c).toList();
        redis.get().pubsub(String.class)
                .subscribe(channels, (channel, message) -> deliver(channel.substring(PREFIX.length()), message),
                        this::resubscribeLater, failure -> resubscribeLater())
                .subscribe().with(subscriber -> subscribed = true, failure -> resubscribeLater());
    }

    /** Redis went away: subscribe again once it is back, so that messages between replicas resume on their own. */
    private void resubscribeLater() {
        subscribed = false;
        vertx.setTimer(1_000, id -> subscribe());
    }

    private void deliver(String channel, String message) {
        for (Consumer<String> handler : handlers.getOrDefault(channel, List.of())) {
            try {
                handler.accept(message);
            } catch (RuntimeException e) {
                LOG.debugf("A message of channel %s could not be handled: %s", channel, e.getMessage());
            }
        }
    }

    /** Whether the subscription to the other replicas is up (always true without Redis). */
    public boolean connected() {
        return !settings.configured() || subscribed;
    }
}
