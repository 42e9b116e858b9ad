package org.caregrid.server.security;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/** Sets a user's password; refuses the demo password and passwords shorter than 8 characters. */
@Component
public class PasswordChanger {

    private final JdbcClient jdbc;
    private final PasswordEncoder encoder;

    PasswordChanger(JdbcClient jdbc, PasswordEncoder encoder) {
        this.jdbc = jdbc;
        this.encoder = encoder;
    }

    /**
     * The rule every password is held to: at least 8 characters, not the demo password, and at most 72
     * bytes in UTF-8 (bcrypt ignores, and Spring's encoder refuses, anything longer).
     */
    public static boolean acceptable(String password) {
        return password != null && password.length() >= 8 && !DemoPasswords.DEMO_PASSWORD.equals(password)
                && password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 72;
    }

    public void change(String username, String newPassword) {
        if (!acceptable(newPassword)) {
            throw new IllegalArgumentException("A password needs 8 to 72 characters and must not be the demo password");
        }
        int updated = jdbc.sql("UPDATE app_user SET password_hash = :hash WHERE username = :username")
                .param("hash", encoder.encode(newPassword)).param("username", username).update();
        if (updated == 0) {
            throw new IllegalArgumentException("No user named " + username);
        }
    }
}
