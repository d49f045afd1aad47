package dev.switchboard.workspace;

import java.util.Optional;

/**
 * What a call presents to the workspace: the caller's own API key, or the gateway's service credential with the user it
 * acts for (an OAuth user, whose token never leaves the gateway).
 *
 * @param authorization the Authorization header value
 * @param actingUser sent as X-Acting-User beside a service credential
 */
public record UpstreamCredential(String authorization, Optional<String> actingUser) {

    public static final String ACTING_USER_HEADER = "X-Acting-User";

    /** Never the secret: what a log or an error may show. */
    @Override
    public String toString() {
        return actingUser.map(user -> "service credential acting for " + user).orElse("API key");
    }
}
