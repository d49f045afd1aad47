package dev.switchboard.tenancy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.switchboard.config.GatewayConfig;

/**
 * The name a caller is kept under in the state store, its logs' counterparts and every cache: a keyed hash
 * (HMAC-SHA-256 with MCP_KEY_HASH_SECRET) of the API key, so that a copy of Redis does not let anyone test guessed keys
 * against its key names. Every replica must share the secret. Without Redis the secret may be left unset: a random
 * one is made, and kept beside the session file when there is one (so that a stdio client's switch survives its
 * restarts).
 * <p>
 * Earlier versions named keys by their plain SHA-256 ({@link #legacy}); a switch stored under such a name is moved to
 * the keyed name the first time its key calls again (see {@link Admission}).
 */
@Singleton
public class Principals {

    private static final Logger LOG = Logger.getLogger(Principals.class);

    private final SecretKeySpec secret;
    /** A ready MAC per thread: looking the algorithm up and keying it cost more than the digest of a key. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    @Inject
    Principals(GatewayConfig config) {
        this(config.keyHashSecret().orElseGet(() -> localSecret(config.sessionFile())));
    }

    public Principals(String secret) {
        this.secret = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The principal of an API key. */
    public String ofKey(String apiKey) {
        return HexFormat.of().formatHex(macs.get().doFinal(apiKey.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The principal of a user an OAuth issuer vouched for: its switch, rate limit and cached identity are the user's,
     * whichever token or client it comes with, and never those of an API key.
     */
    public String ofUser(String issuer, String user) {
        return HexFormat.of().formatHex(tag("oauth-user", (issuer + "\n" + user).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Who a caller is, as an audit trail may show it: the OAuth issuer and user, or a prefix of the key's principal
     * (which names the key to whoever holds the secret, and reveals nothing of it).
     */
    public String who(Credentials credentials, Optional<java.net.URI> issuer) {
        return credentials.actingUser().map(user -> "oauth:" + issuer.map(Object::toString).orElse("") + " " + user)
                .orElseGet(() -> "key:" + ofKey(credentials.apiKey().orElseThrow()).substring(0, 16));
    }

    /**
     * A keyed digest of {@code data} for one purpose (for example signing a continuation cursor), with the same secret
     * as key names: every replica computes the same, and nobody without the secret can forge one.
     */
    public byte[] tag(String purpose, byte[] data) {
        Mac mac = macs.get();
        mac.update(purpose.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        return mac.doFinal(data); // doFinal leaves the MAC ready for the next digest with the same key
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The name earlier versions kept a key under (unkeyed SHA-256): read once, to move what it holds. */
    static String legacy(String apiKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String localSecret(Optional<Path> sessionFile) {
        String fresh = HexFormat.of().formatHex(random());
        if (sessionFile.isEmpty()) {
            return fresh;
        }
        Path file = sessionFile.get().toAbsolutePath().resolveSibling(sessionFile.get().getFileName() + ".secret");
        try {
            if (Files.isReadable(file)) {
                String kept = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!kept.isEmpty()) {
                    return kept;
                }
            }
            Files.createDirectories(file.getParent());
            Files.writeString(file, fresh, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's own protection applies
            }
        } catch (IOException e) {
            LOG.warnf("The key-hash secret cannot be kept beside the session file (%s): organization switches will not "
                    + "survive a restart", e.getClass().getSimpleName());
        }
        return fresh;
    }

    private static byte[] random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
