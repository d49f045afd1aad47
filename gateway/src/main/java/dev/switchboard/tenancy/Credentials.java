package dev.switchboard.tenancy;

import java.util.Optional;

/**
 * What the caller presented: the API key (Authorization: Bearer), and the optional organization pin, agency and
 * mailbox. Over HTTP they come from headers; over stdio from the MCP_* settings, which errors then name instead. The
 * key is only ever held here and passed upstream; everything stored or logged uses its keyed fingerprint
 * ({@link Principals}).
 *
 * @param clientAddress the client's address, for throttling failed authentications (never logged with the key)
 */
public record Credentials(Optional<String> apiKey, Optional<String> companyId, Optional<String> agencyId,
        Optional<String> accountId, Source source, String clientAddress) {

    /** Where the credentials came from, so that an error names what the user actually set. */
    public enum Source {
        HTTP_HEADERS("the Authorization header", "the X-Company-ID header", "the X-Agency-ID header"),
        STDIO_SETTINGS("MCP_BACKEND_AUTHORIZATION", "MCP_COMPANY_ID", "MCP_AGENCY_ID");

        private final String key;
        private final String company;
        private final String agency;

        Source(String key, String company, String agency) {
            this.key = key;
            this.company = company;
            this.agency = agency;
        }

        /** How to name the API key setting in a message. */
        public String key() {
            return key;
        }

        /** How to name the organization pin in a message. */
        public String companyPin() {
            return company;
        }

        public String agencySetting() {
            return agency;
        }
    }

    public static Credentials of(String authorization, String companyId, String agencyId, String accountId, Source source,
            String clientAddress) {
        return new Credentials(bearer(authorization), clean(companyId), clean(agencyId), clean(accountId), source,
                clientAddress == null ? "unknown" : clientAddress);
    }

    /** The Authorization header value to send upstream. */
    public String authorization() {
        return "Bearer " + apiKey.orElseThrow();
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
