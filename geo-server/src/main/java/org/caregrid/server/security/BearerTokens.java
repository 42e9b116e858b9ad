package org.caregrid.server.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import org.caregrid.server.db.Db;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Personal access tokens ({@code Authorization: Bearer cg_…}) for scripts and GIS clients: a token
 * authenticates as its user would by logging in, while it is neither revoked nor expired and the user
 * is enabled. Only the token's SHA-256 is stored (V8__api_tokens.sql); a token carries 256 random bits,
 * so a fast hash is enough, and it lets the lookup be one indexed equality.
 */
@Component
public class BearerTokens {

    /** Marks caregrid's tokens, so that secret scanners and people can recognise one. */
    public static final String PREFIX = "cg_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final String FIND_LIVE = """
            SELECT t.id, t.user_id FROM api_token t JOIN app_user u ON u.id = t.user_id
             WHERE t.token_hash = :hash AND t.revoked_at IS NULL
               AND (t.expires_at IS NULL OR t.expires_at > now()) AND u.enabled
            """;

    // a token used all day long writes its last use once a minute, not on every call
    private static final String TOUCH = """
            UPDATE api_token SET last_used_at = now()
             WHERE id = :id AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
            """;

    private final JdbcClient jdbc;
    private final UserDetailsRepository users;

    BearerTokens(JdbcClient jdbc, UserDetailsRepository users) {
        this.jdbc = jdbc;
        this.users = users;
    }

    /** A new token: the prefix and 32 random bytes, base64url. */
    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** What is stored of a token. */
    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    /** The token of an {@code Authorization: Bearer …} header, or null for any other header. */
    static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).trim();
    }

    /** The user a live token belongs to; empty for an unknown, revoked or expired token or a disabled user. */
    Mono<Optional<CaregridUser>> userOf(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 100) {
            return Mono.just(Optional.empty());
        }
        return Db.async(() -> jdbc.sql(FIND_LIVE).param("hash", hash(token))
                .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)}).optional()
                .flatMap(found -> {
                    jdbc.sql(TOUCH).param("id", found[0]).update();
                    return users.findById(found[1]);
                })
                .filter(CaregridUser::isEnabled));
    }

    /** The converter of the bearer filter: a request without a bearer header is left to the other log-ins. */
    Mono<Authentication> convert(ServerWebExchange exchange) {
        String token = bearer(exchange.getRequest().getHeaders().getFirst("Authorization"));
        return token == null ? Mono.empty() : Mono.just(new Presented(token));
    }

    /** The authentication manager of the bearer filter: looks the token's hash up. */
    ReactiveAuthenticationManager authenticationManager() {
        return authentication -> userOf((String) authentication.getCredentials())
                .flatMap(user -> user.<Mono<Authentication>>map(u -> Mono.just(
                                UsernamePasswordAuthenticationToken.authenticated(u, null, u.getAuthorities())))
                        .orElseGet(() -> Mono.error(new BadCredentialsException("unknown, revoked or expired token"))));
    }

    /** A token as the request presented it, not yet checked. */
    private static final class Presented extends AbstractAuthenticationToken {
        private final String token;

        Presented(String token) {
            super(java.util.List.of());
            this.token = token;
        }

        @Override
        public Object getCredentials() {
            return token;
        }

        @Override
        public Object getPrincipal() {
            return "bearer";
        }
    }
}
