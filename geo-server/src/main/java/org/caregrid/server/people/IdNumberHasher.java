package org.caregrid.server.people;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.caregrid.server.config.CaregridProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Turns an ID number into what the person table may hold: an HMAC-SHA256 (32 bytes) that finds duplicates
 * without revealing the number, and its last four characters for people to tell records apart. The key is
 * {@code caregrid.id-hash-key}, else a random key generated once into {@code <home>/secrets/id-hash.key}
 * (mode 600): losing it means existing hashes no longer match new imports, so it lives with the data.
 */
@Component
public class IdNumberHasher {

    public record Hashed(byte[] hash, String last4) {
    }

    private final byte[] key;

    @Autowired
    public IdNumberHasher(CaregridProperties properties) {
        this(keyOf(properties));
    }

    private IdNumberHasher(byte[] key) {
        this.key = key.clone();
    }

    /** For tools outside the server (the import benchmark) that bring their own key. */
    public static IdNumberHasher withKey(byte[] key) {
        return new IdNumberHasher(key);
    }

    /** Null for a blank number; the number is normalised (trimmed, upper-case X) before hashing. */
    public Hashed hash(String idNumber) {
        if (idNumber == null || idNumber.isBlank()) {
            return null;
        }
        String normal = idNumber.trim().toUpperCase(Locale.ROOT);
        if (normal.length() < 4 || !normal.substring(normal.length() - 4).matches("[0-9]{3}[0-9X]")) {
            throw new IllegalArgumentException("an ID number must end in 3 digits and a digit or X");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return new Hashed(mac.doFinal(normal.getBytes(StandardCharsets.UTF_8)), normal.substring(normal.length() - 4));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static byte[] keyOf(CaregridProperties properties) {
        if (properties.idHashKey() != null && !properties.idHashKey().isBlank()) {
            return properties.idHashKey().getBytes(StandardCharsets.UTF_8);
        }
        Path file = properties.home().resolve("secrets").resolve("id-hash.key");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, Base64.getEncoder().encodeToString(fresh));
                } catch (FileAlreadyExistsException raced) {
                    // another process created it first: use theirs
                }
            }
            return Base64.getDecoder().decode(Files.readString(file).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the ID-number hash key " + file, e);
        }
    }
}
