package org.caregrid.server.users;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import org.caregrid.server.security.AccessPolicy;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.BearerTokens;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.SqlPredicate;
import org.caregrid.server.web.ApiException;
import org.caregrid.server.web.TextInput;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Personal access tokens: every user makes, lists and revokes their own; an administrator also lists
 * and revokes those of the users they manage. The token is answered once and only its hash is kept
 * ({@link BearerTokens} checks it on each request). A revoked token keeps its row.
 */
@Component
class ApiTokens {

    private static final String COLUMNS = """
            t.id, t.name, u.username, t.created_at, t.expires_at, t.revoked_at, t.last_used_at,
            (t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()) AND u.enabled) AS active
            """;

    record NewToken(String name, OffsetDateTime expiresAt) {
    }

    /** The answer to a new token: the only time the token itself is shown. */
    record CreatedToken(long id, String name, String username, String token, OffsetDateTime createdAt,
                        OffsetDateTime expiresAt) {
    }

    /** A token as lists show it: never the token, never its hash. */
    record Token(long id, String name, String username, OffsetDateTime createdAt, OffsetDateTime expiresAt,
                 OffsetDateTime revokedAt, OffsetDateTime lastUsedAt, boolean active) {
    }

    private final JdbcClient jdbc;

    ApiTokens(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Blocking. */
    CreatedToken create(NewToken request, CaregridUser user) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        String name = request.name() == null ? null : request.name().strip();
        if (name == null || name.isEmpty()) {
            faults.add(new ApiException.FieldFault("name", "error.required"));
        } else {
            TextInput.check("name", name, 100, faults);
        }
        if (request.expiresAt() != null && !request.expiresAt().isAfter(OffsetDateTime.now())) {
            faults.add(new ApiException.FieldFault("expiresAt", "error.token.expiresInPast", request.expiresAt()));
        }
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        String token = BearerTokens.newToken();
        long id = jdbc.sql("""
                        INSERT INTO api_token (user_id, name, token_hash, expires_at) VALUES (:user, :name, :hash, :expires)
                        RETURNING id""")
                .param("user", user.id()).param("name", name).param("hash", BearerTokens.hash(token))
                .param("expires", request.expiresAt()).query(Long.class).single();
        Token stored = find(id, user);
        return new CreatedToken(id, stored.name(), stored.username(), token, stored.createdAt(), stored.expiresAt());
    }

    /** Blocking. The caller's own tokens; an administrator's list also has those of the users they manage. */
    List<Token> list(CaregridUser user) {
        SqlPredicate visible = visible(user);
        return visible.bind(jdbc.sql("SELECT " + COLUMNS + " FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE "
                        + visible.sql() + " ORDER BY t.revoked_at IS NOT NULL, t.id DESC"))
                .query((rs, n) -> toToken(rs)).list();
    }

    /** Blocking. Revokes a token the caller may see; a token revoked before keeps its first revocation time. */
    Token revoke(long id, CaregridUser user) {
        Token token = find(id, user);
        jdbc.sql("UPDATE api_token SET revoked_at = now() WHERE id = :id AND revoked_at IS NULL").param("id", id).update();
        return find(token.id(), user);
    }

    private Token find(long id, CaregridUser user) {
        SqlPredicate visible = visible(user);
        return visible.bind(jdbc.sql("SELECT " + COLUMNS + " FROM api_token t JOIN app_user u ON u.id = t.user_id "
                        + "WHERE t.id = :id AND " + visible.sql()))
                .param("id", id).query((rs, n) -> toToken(rs)).optional()
                .orElseThrow(() -> ApiException.notFound("error.token.notFound", id));
    }

    /** One's own tokens, and for an administrator those of the users they manage. */
    private static SqlPredicate visible(CaregridUser user) {
        if (!AccessPolicy.allows(user, Action.ADMINISTER)) {
            return new SqlPredicate("t.user_id = :me", java.util.Map.of("me", user.id()));
        }
        SqlPredicate managed = AdminReach.users(user, "u");
        java.util.Map<String, Object> params = new java.util.HashMap<>(managed.params());
        params.put("me", user.id());
        return new SqlPredicate("(t.user_id = :me OR " + managed.sql() + ")", params);
    }

    private static Token toToken(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Token(rs.getLong("id"), rs.getString("name"), rs.getString("username"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("expires_at", OffsetDateTime.class),
                rs.getObject("revoked_at", OffsetDateTime.class), rs.getObject("last_used_at", OffsetDateTime.class),
                rs.getBoolean("active"));
    }
}
