package org.caregrid.server.security;

import java.security.SecureRandom;
import java.util.Base64;

import org.caregrid.server.config.CaregridProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * A fresh production database has no users, so nobody could log in: {@code serve} then creates
 * {@code admin} with the password from {@code CAREGRID_ADMIN_PASSWORD}, or a random one that it
 * prints once.
 */
@Component
@Order(1)
class FirstAdministrator implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(FirstAdministrator.class);

    private final CaregridProperties properties;
    private final JdbcClient jdbc;
    private final PasswordEncoder encoder;
    private final Environment environment;

    FirstAdministrator(CaregridProperties properties, JdbcClient jdbc, PasswordEncoder encoder, Environment environment) {
        this.properties = properties;
        this.jdbc = jdbc;
        this.encoder = encoder;
        this.environment = environment;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!"serve".equals(properties.mode())) {
            return;
        }
        boolean noUsers = jdbc.sql("SELECT NOT EXISTS (SELECT 1 FROM app_user)").query(Boolean.class).single();
        if (!noUsers) {
            return;
        }
        String given = environment.getProperty("CAREGRID_ADMIN_PASSWORD");
        String password = given != null && !given.isBlank() ? given : randomPassword();
        if (password.length() < 8 || DemoPasswords.DEMO_PASSWORD.equals(password)) {
            throw new IllegalStateException("CAREGRID_ADMIN_PASSWORD needs at least 8 characters and must not be the demo password");
        }
        jdbc.sql("INSERT INTO app_user (username, display_name, password_hash, roles) "
                        + "VALUES ('admin', '管理员', :hash, ARRAY['ADMIN'])")
                .param("hash", encoder.encode(password)).update();
        if (given == null || given.isBlank()) {
            log.warn("No users yet: created 'admin' with the password {}  (shown once; change it with "
                    + "'./caregrid set-password admin')", password);
        } else {
            log.info("No users yet: created 'admin' with the password from CAREGRID_ADMIN_PASSWORD");
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
