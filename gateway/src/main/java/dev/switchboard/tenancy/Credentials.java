package dev.switchboard.tenancy;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import dev.switchboard.config.RequestHeader;
import dev.switchboard.workspace.UpstreamCredential;

/**
 * What the caller presented: a value for each header of {@link RequestHeader#caller()} it sent (the API key of
 * Authorization: Bearer, the optional organization pin, agency and mailbox, the user the gateway authenticated). Over
 * HTTP they come from headers; over stdio from the MCP_* settings, which errors then name instead. A header added to
 * the table is carried here without a change. The key is only ever held here and passed upstream; everything stored or
 * logged uses its keyed fingerprint ({@link Principals}).
 *
 * @param presented the value of each caller header sent, trimmed (for Authorization, the key of its Bearer value)
 * @param clientAddress the client's address, for throttling failed authentications (never logged with the key)
 */
public record Credentials(Map<RequestHeader, String> presented, Source source, String clientAddress) {

    public Credentials {
        presented = presented.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(presented));
    }

    /** The headers whose values {@link #toString()} shows: ids, never a secret or a person. */
    private static final Set<RequestHeader> SHOWN = EnumSet.of(RequestHeader.COMPANY_ID,
            RequestHeader.AGENCY_ID, RequestHeader.ACCOUNT_ID);

    /** The value of a caller header, if the caller sent one. */
    public Optional<String> value(RequestHeader header) {
        return Optional.ofNullable(presented.get(header));
    }

    public Optional<String> apiKey() {
        return value(RequestHeader.AUTHORIZATION);
    }

    public Optional<String> companyId() {
        return value(RequestHeader.COMPANY_ID);
    }

    public Optional<String> agencyId() {
        return value(RequestHeader.AGENCY_ID);
    }

    public Optional<String> accountId() {
        return value(RequestHeader.ACCOUNT_ID);
    }

    public Optional<String> actingUser() {
        return value(RequestHeader.ACTING_USER);
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
        Map<RequestHeader, String> presented = new EnumMap<>(RequestHeader.class);
        for (RequestHeader name : RequestHeader.caller()) {
            String value = header.apply(name.wireName());
            (name == RequestHeader.AUTHORIZATION ? bearer(value) : clean(value)).ifPresent(v -> presented.put(name, v));
        }
        return new Credentials(presented, source, clientAddress == null ? "unknown" : clientAddress);
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
        return new UpstreamCredential("Bearer " + apiKey().orElseThrow(), actingUser());
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
        // the ids that name what a call acts on are shown; any other header (the key, the user) only as present
        StringBuilder shown = new StringBuilder("Credentials[");
        presented.forEach((header, value) -> shown.append(header.wireName()).append('=')
                .append(SHOWN.contains(header) ? value : "present").append(", "));
        return shown.append("source=").append(source).append(']').toString();
    }
}
