package dev.switchboard.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What the caller sent: the API key (from Authorization: Bearer) and the optional X-Company-ID, X-Agency-ID and
 * x-account-id. The key is only ever held here and passed upstream; everything stored or logged uses its hash.
 */
public record CallerHeaders(Optional<String> apiKey, Optional<String> companyId, Optional<String> agencyId,
        Optional<String> accountId) {

    public static CallerHeaders of(String authorization, String companyId, String agencyId, String accountId) {
        return new CallerHeaders(bearer(authorization), clean(companyId), clean(agencyId), clean(accountId));
    }

    /** The Authorization header value to send upstream. */
    public String authorization() {
        return "Bearer " + apiKey.orElseThrow();
    }

    public String keyHash() {
        return hash(apiKey.orElseThrow());
    }

    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<String> bearer(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String value = authorization.trim();
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            value = value.substring(7).trim();
        } else {
            return Optional.empty();
        }
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static Optional<String> clean(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    @Override
    public String toString() {
        // never print the key, even by accident
        return "CallerHeaders[key=" + (apiKey.isPresent() ? "present" : "absent") + ", companyId=" + companyId.orElse("-")
                + ", agencyId=" + agencyId.orElse("-") + ", accountId=" + accountId.orElse("-") + "]";
    }
}
