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

    public void change(String username, String newPassword) {
        if (newPassword.length() < 8 || DemoPasswords.DEMO_PASSWORD.equals(newPassword)) {
            throw new IllegalArgumentException("A password needs at least 8 characters and must not be the demo password");
        }
        int updated = jdbc.sql("UPDATE app_user SET password_hash = :hash WHERE username = :username")
                .param("hash", encoder.encode(newPassword)).param("username", username).update();
        if (updated == 0) {
            throw new IllegalArgumentException("No user named " + username);
        }
    }
}
