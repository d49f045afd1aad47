package dev.switchboard.tenancy;

import java.util.Optional;
import java.util.function.Function;

import dev.switchboard.config.RequestHeader;
import dev.switchboard.workspace.UpstreamCredential;

/**
 * What the caller presented: the API key (Authorization: Bearer), and the optional organization pin, agency and
 * mailbox. Over HTTP they come from headers; over stdio from the MCP_* settings, which errors then name instead. The
 * key is only ever held here and passed upstream; everything stored or logged uses its keyed fingerprint
 * ({@link Principals}).
 *
 * @param clientAddress the client's address, for throttling failed authentications (never logged with the key)
 */
public record Credentials(Optional<String> apiKey, Optional<String> companyId, Optional<String> agencyId,
        Optional<String> accountId, Source source, String clientAddress, Optional<String> actingUser) {

    public Credentials(Optional<String> apiKey, Optional<String> companyId, Optional<String> agencyId,
            Optional<String> accountId, Source source, String clientAddress) {
        this(apiKey, companyId, agencyId, accountId, source, clientAddress, Optional.empty());
    }

    /** Where the credentials came from, so that an error names what the user actually set. */
    public enum Source {
        HTTP_HEADERS,
        STDIO_SETTINGS;

        /** How a message names the header, or the stdio setting that stands for it. */
        public String name(RequestHeader header) {
            return this == STDIO_SETTINGS && header.stdioSetting().isPresent() ? header.stdioSetting().get()
                    : "the " + header.wireName() + " header";
        }

        /** How to name the API key setting in a message. */
        public String key() {
            return name(RequestHeader.AUTHORIZATION);
        }

        /** How to name the organization pin in a message. */
        public String companyPin() {
            return name(RequestHeader.COMPANY_ID);
        }

        public String agencySetting() {
            return name(RequestHeader.AGENCY_ID);
        }
    }

    /**
     * The credentials in a request's headers (over stdio, the bridge put the settings there).
     *
     * @param header reads a header of the request by its wire name
     */
    public static Credentials from(Function<String, String> header, Source source, String clientAddress) {
        return new Credentials(bearer(header.apply(RequestHeader.AUTHORIZATION.wireName())),
                clean(header.apply(RequestHeader.COMPANY_ID.wireName())), clean(header.apply(RequestHeader.AGENCY_ID.wireName())),
                clean(header.apply(RequestHeader.ACCOUNT_ID.wireName())), source,
                clientAddress == null ? "unknown" : clientAddress, clean(header.apply(RequestHeader.ACTING_USER.wireName())));
    }

    /** A caller that presented nothing (no HTTP request is current). */
    public static Credentials none(Source source) {
        return from(name -> null, source, null);
    }

    /**
     * What to present upstream: the caller's key, or (for a user the edge authenticated by OAuth) the gateway's service
     * credential, which the edge put in the Authorization header, and the user it acts for.
     */
    public UpstreamCredential authorization() {
        return new UpstreamCredential("Bearer " + apiKey.orElseThrow(), actingUser);
    }


    /** The key of {@code Authorization: Bearer <key>}, if that is what the value is. One parser for every transport. */
    public static Optional<String> bearer(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String value = authorization.trim();
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        value = value.substring(7).trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static Optional<String> clean(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    @Override
    public String toString() {
        // never print the key, even by accident
        return "Credentials[key=" + (apiKey.isPresent() ? "present" : "absent") + ", companyId=" + companyId.orElse("-")
                + ", agencyId=" + agencyId.orElse("-") + ", accountId=" + accountId.orElse("-") + ", source=" + source + "]";
    }
}
