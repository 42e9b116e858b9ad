package org.caregrid.server.security;

import org.springframework.security.crypto.password.PasswordEncoder;
import java.util.Base64;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import org.caregrid.server.db.Db;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Loads users, their roles and their scope from {@code app_user}. */
@Component
class UserDetailsRepository implements ReactiveUserDetailsService {

    private static final String SELECT_USER = """
            SELECT u.id, u.username, u.password_hash, u.enabled, u.roles, u.person_id,
                   u.scope_area_code, a.level AS scope_area_level,
                   u.scope_grid_id, g.community_code AS scope_grid_community
              FROM app_user u
              LEFT JOIN admin_area a ON a.code = u.scope_area_code
              LEFT JOIN grid g ON g.id = u.scope_grid_id
            """;

    private final JdbcClient jdbc;
    private final CaregridUser decoy;
    private final PasswordEncoder encoder;

    UserDetailsRepository(JdbcClient jdbc, PasswordEncoder encoder) {
        this.jdbc = jdbc;
        this.encoder = encoder;
        // an unknown name is checked against a hash nobody knows the password of, so that it costs the
        // same time as a known one and user names cannot be found by timing the answers
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.decoy = new CaregridUser(-1, "unknown", encoder.encode(Base64.getEncoder().encodeToString(secret)), true,
                java.util.EnumSet.noneOf(Role.class), AreaScope.everywhere(), null);
    }

    @Override
    public Mono<UserDetails> findByUsername(String username) {
        return Db.async(() -> jdbc.sql(SELECT_USER + " WHERE u.username = :username").param("username", username)
                        .query(this::toUser).optional())
                .map(found -> found.<UserDetails>map(u -> u).orElse(decoy));
    }

    /**
     * Blocking. Checks {@code presented} against the decoy's hash: as long as checking a real password, for a
     * log-in that is refused without one (a disabled account), so that its answer comes no sooner.
     */
    void checkAgainstDecoy(String presented) {
        encoder.matches(presented, decoy.getPassword());
    }

    /** Blocking. The user a personal access token belongs to. */
    java.util.Optional<CaregridUser> findById(long id) {
        return jdbc.sql(SELECT_USER + " WHERE u.id = :id").param("id", id).query(this::toUser).optional();
    }

    private CaregridUser toUser(ResultSet rs, int row) throws SQLException {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Array array = rs.getArray("roles");
        Arrays.stream((String[]) array.getArray()).map(Role::valueOf).forEach(roles::add);
        AreaScope scope;
        Long gridId = rs.getObject("scope_grid_id", Long.class);
        if (gridId != null) {
            scope = new AreaScope.Grid(gridId, rs.getString("scope_grid_community"));
        } else if (rs.getString("scope_area_code") != null) {
            scope = AreaScope.area(rs.getString("scope_area_code"), rs.getString("scope_area_level"));
        } else {
            scope = AreaScope.everywhere();
        }
        Long personId = rs.getObject("person_id", Long.class);
        return new CaregridUser(rs.getLong("id"), rs.getString("username"), rs.getString("password_hash"),
                rs.getBoolean("enabled"), roles, scope, personId);
    }
}
