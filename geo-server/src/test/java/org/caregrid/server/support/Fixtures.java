package org.caregrid.server.support;

import javax.sql.DataSource;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.security.crypto.password.PasswordEncoder;

/** Loads hand-built fixtures and creates users with known passwords. */
public final class Fixtures {

    public static final String PASSWORD = "correct-horse-7";

    private Fixtures() {
    }

    public static void load(DataSource dataSource, String resource) {
        new ResourceDatabasePopulator(new ClassPathResource(resource)).execute(dataSource);
    }

    /** Creates a user; {@code scopeArea} and {@code scopeGrid} may be null. */
    public static void user(JdbcClient jdbc, PasswordEncoder encoder, String username, String role,
                            String scopeArea, Long scopeGrid, Long personId) {
        jdbc.sql("""
                INSERT INTO app_user (username, password_hash, roles, scope_area_code, scope_grid_id, person_id)
                VALUES (:u, :h, ARRAY[:r], :a, :g, :p)
                """)
                .param("u", username).param("h", encoder.encode(PASSWORD)).param("r", role)
                .param("a", scopeArea).param("g", scopeGrid).param("p", personId)
                .update();
    }
}
