package dev.switchboard.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Offset pagination behind opaque cursors that carry what they continue: the operation, the key, the path (organization,
 * mailbox, parent resource) and every filter of the first page, each as a short keyed digest, with the offset, signed
 * by a secret of this process. A cursor sent with anything else (other filters, another organization or mailbox,
 * another key, a changed cursor) is refused with a 422 that names what differs: it never silently continues another
 * list. Only {@code limit} may change from page to page.
 */
final class Pages {

    private static final Set<String> FREE = Set.of("cursor", "limit");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final SecretKeySpec SECRET;

    static {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        SECRET = new SecretKeySpec(random, "HmacSHA256");
    }

    private Pages() {
    }

    record Page<T>(List<T> items, String nextCursor) {
    }

    static <T> Page<T> of(List<T> all, SandboxRequest request) {
        int limit = request.intQuery("limit", 25);
        Map<String, String> binding = binding(request);
        int offset = decode(request.stringQuery("cursor", null), request, binding);
        if (offset > all.size()) {
            offset = all.size();
        }
        int end = Math.min(all.size(), offset + limit);
        return new Page<>(List.copyOf(all.subList(offset, end)), end < all.size() ? encode(end, binding) : null);
    }

    /** What a cursor is bound to: the operation, the key, each path parameter and each filter, as digests. */
    private static Map<String, String> binding(SandboxRequest request) {
        Map<String, String> binding = new LinkedHashMap<>();
        binding.put("o", request.operation().name());
        binding.put("k", digest("key", request.key().id()));
        new TreeSet<>(request.path().keySet()).forEach(name -> binding.put("p." + name, digest(name, request.path(name))));
        ObjectNode query = request.query();
        TreeSet<String> names = new TreeSet<>();
        query.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode value = query.get(name);
            if (!FREE.contains(name) && value != null && !value.isNull()) {
                binding.put("f." + name, digest(name, value.toString()));
            }
        }
        return binding;
    }

    private static String encode(int offset, Map<String, String> binding) {
        ObjectNode payload = SandboxJson.MAPPER.createObjectNode();
        payload.put("n", offset);
        binding.forEach(payload::put);
        byte[] bytes = payload.toString().getBytes(StandardCharsets.UTF_8);
        return B64.encodeToString(bytes) + "." + B64.encodeToString(java.util.Arrays.copyOf(mac(bytes), 12));
    }

    private static int decode(String cursor, SandboxRequest request, Map<String, String> binding) {
        if (cursor == null) {
            return 0;
        }
        ObjectNode payload = verified(cursor);
        if (!request.operation().name().equals(payload.path("o").asText())) {
            throw refused("'cursor' continues a list of " + payload.path("o").asText() + ", not of "
                    + request.operation().name() + ": pass the nextCursor of this operation's previous page, or omit "
                    + "cursor for the first page.");
        }
        if (!Objects.equals(binding.get("k"), payload.path("k").asText(null))) {
            throw refused("'cursor' was issued to another API key: a cursor continues a list only for the key that "
                    + "listed it. Omit cursor to list from the first page.");
        }
        List<String> paths = new ArrayList<>();
        List<String> filters = new ArrayList<>();
        Set<String> names = new TreeSet<>(binding.keySet());
        payload.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            if (!name.startsWith("f.") && !name.startsWith("p.")) {
                continue;
            }
            if (!Objects.equals(binding.get(name), payload.path(name).asText(null))) {
                (name.startsWith("f.") ? filters : paths).add(name.substring(2));
            }
        }
        if (paths.contains("organizationId")) {
            throw refused("'cursor' continues a list of another organization, not of " + request.path("organizationId")
                    + ": omit cursor to list from the first page.");
        }
        if (!paths.isEmpty()) {
            throw refused("'cursor' continues a list of another " + String.join(" and ", paths)
                    + ": pass the same " + String.join(" and ", paths) + " as the call that returned it, or omit cursor "
                    + "for the first page.");
        }
        if (!filters.isEmpty()) {
            throw refused("'cursor' continues a list with other filters: " + String.join(", ", filters)
                    + (filters.size() == 1 ? " differs" : " differ") + " from the call that returned it. Send the same "
                    + "filters with the cursor (only limit may change), or omit cursor to start from the first page.");
        }
        return payload.path("n").asInt();
    }

    private static ObjectNode verified(String cursor) {
        int dot = cursor.indexOf('.');
        try {
            if (dot > 0) {
                byte[] bytes = Base64.getUrlDecoder().decode(cursor.substring(0, dot));
                byte[] signature = Base64.getUrlDecoder().decode(cursor.substring(dot + 1));
                if (java.security.MessageDigest.isEqual(signature, java.util.Arrays.copyOf(mac(bytes), 12))
                        && SandboxJson.MAPPER.readTree(bytes) instanceof ObjectNode payload && payload.path("n").isInt()
                        && payload.path("n").asInt() >= 0) {
                    return payload;
                }
            }
        } catch (IllegalArgumentException | java.io.IOException e) {
            // reported below
        }
        throw refused("'cursor' is not a cursor this API issued (or it was changed): pass the nextCursor of the previous "
                + "page unchanged, or omit it for the first page.");
    }

    private static SandboxException refused(String message) {
        return SandboxException.invalid("cursor", message);
    }

    /** A short keyed digest of one bound value: enough to tell values apart, nothing to read them back from. */
    private static String digest(String name, String value) {
        byte[] bytes = (name + "\u0000" + value).getBytes(StandardCharsets.UTF_8);
        return B64.encodeToString(java.util.Arrays.copyOf(mac(bytes), 6));
    }

    private static byte[] mac(byte[] bytes) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(SECRET);
            return mac.doFinal(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
