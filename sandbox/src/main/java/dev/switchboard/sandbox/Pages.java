package dev.switchboard.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Offset pagination behind opaque cursors. */
final class Pages {

    private static final String PREFIX = "off:";

    private Pages() {
    }

    record Page<T>(List<T> items, String nextCursor) {
    }

    static <T> Page<T> of(List<T> all, SandboxRequest request) {
        int limit = request.intQuery("limit", 25);
        int offset = decode(request.stringQuery("cursor", null));
        if (offset > all.size()) {
            offset = all.size();
        }
        int end = Math.min(all.size(), offset + limit);
        return new Page<>(List.copyOf(all.subList(offset, end)), end < all.size() ? encode(end) : null);
    }

    static String encode(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int decode(String cursor) {
        if (cursor == null) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith(PREFIX)) {
                int offset = Integer.parseInt(decoded.substring(PREFIX.length()));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw SandboxException.invalid("cursor", "'cursor' is not a cursor this API issued; pass the nextCursor of the previous page unchanged.");
    }
}
