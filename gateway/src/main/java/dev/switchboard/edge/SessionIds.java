package dev.switchboard.edge;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.tenancy.Principals;
import dev.switchboard.tenancy.StateStore;
import io.smallrye.mutiny.Uni;

/**
 * The MCP session ids clients see (handshake era). The library names a session by a random id that only the replica
 * holding it knows, and serves any other id as if there were no session; the protocol wants a POST with an ended or
 * unknown session answered 404 on every replica. So the id a client gets carries a tag (a keyed digest with the secret
 * every replica shares) that any replica checks, and an ended session is remembered in the state store until it would
 * have expired anyway.
 */
@Singleton
class SessionIds {

    private static final Logger LOG = Logger.getLogger(SessionIds.class);
    private static final String PURPOSE = "mcp-session";
    private static final char SEPARATOR = '.';

    private final Principals principals;
    private final StateStore store;
    private final Duration remembered;

    SessionIds(Principals principals, StateStore store, GatewayConfig config) {
        this.principals = principals;
        this.store = store;
        this.remembered = Duration.ofSeconds(config.limits().sessionIdleSeconds());
    }

    /** A session as a client presents it: the library's id and the protocol version the session negotiated. */
    record Presented(String librarySession, String negotiated) {
    }

    /**
     * The id a client gets for the library's session: it also names the version the session negotiated, which rules
     * what the session's requests may be (batches) on any replica, whatever header they come with.
     */
    String issued(String librarySession, String negotiated) {
        String named = librarySession + SEPARATOR + negotiated;
        return named + SEPARATOR + tag(named);
    }

    /** The library's session behind an id a client presents, if a replica of this deployment issued it. */
    Optional<Presented> library(String presented) {
        int at = presented.lastIndexOf(SEPARATOR);
        if (at <= 0 || at == presented.length() - 1) {
            return Optional.empty();
        }
        String named = presented.substring(0, at);
        byte[] expected = tag(named).getBytes(StandardCharsets.US_ASCII);
        byte[] given = presented.substring(at + 1).getBytes(StandardCharsets.US_ASCII);
        int versionAt = named.lastIndexOf(SEPARATOR);
        if (versionAt <= 0 || !java.security.MessageDigest.isEqual(expected, given)) {
            return Optional.empty();
        }
        return Optional.of(new Presented(named.substring(0, versionAt), named.substring(versionAt + 1)));
    }

    /** Whether the session was ended (on any replica). A store that does not answer does not end sessions. */
    Uni<Boolean> ended(String librarySession) {
        return store.read(principal(librarySession), StateStore.Field.SESSION_ENDED).map(Optional::isPresent)
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("Whether a session ended is unknown (state store: %s); it is served", failure.getMessage());
                    return false;
                });
    }

    void end(String librarySession) {
        store.write(principal(librarySession), StateStore.Field.SESSION_ENDED, "1", remembered).subscribe().with(
                ignored -> {
                }, failure -> LOG.debugf("An ended session could not be remembered: %s", failure.getMessage()));
    }

    private String principal(String librarySession) {
        return "session-" + tag(librarySession);
    }

    private String tag(String librarySession) {
        byte[] digest = principals.tag(PURPOSE, librarySession.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
    }
}
