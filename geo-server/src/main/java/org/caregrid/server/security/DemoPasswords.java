package org.caregrid.server.security;

import java.util.List;

import org.caregrid.server.config.CaregridProperties;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/** {@code serve} is for real data: it will not start while any user can still log in with "demo". */
@Component
@Order(0)
public class DemoPasswords implements ApplicationRunner {

    public static final String DEMO_PASSWORD = "demo";

    private final CaregridProperties properties;
    private final JdbcClient jdbc;
    private final PasswordEncoder encoder;

    DemoPasswords(CaregridProperties properties, JdbcClient jdbc, PasswordEncoder encoder) {
        this.properties = properties;
        this.jdbc = jdbc;
        this.encoder = encoder;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!"serve".equals(properties.mode())) {
            return;
        }
        List<String> withDemoPassword = usersWithDemoPassword();
        if (!withDemoPassword.isEmpty()) {
            throw new DemoPasswordStillSetException(withDemoPassword);
        }
    }

    public List<String> usersWithDemoPassword() {
        record UserHash(String username, String hash) {
        }
        return jdbc.sql("SELECT username, password_hash FROM app_user WHERE enabled ORDER BY username")
                .query((rs, row) -> new UserHash(rs.getString(1), rs.getString(2))).list().stream()
                .filter(u -> encoder.matches(DEMO_PASSWORD, u.hash()))
                .map(UserHash::username)
                .toList();
    }

    /** Thrown at start-up; {@link StartupFailureAnalyzer} turns it into a short message. */
    public static class DemoPasswordStillSetException extends RuntimeException {
        public DemoPasswordStillSetException(List<String> usernames) {
            super("These users still have the demo password: " + String.join(", ", usernames));
        }
    }
}
