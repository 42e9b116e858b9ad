package org.caregrid.server.security;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.caregrid.server.db.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.session.MapSession;
import org.springframework.session.ReactiveSessionRepository;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Browser sessions in the {@code web_session} table, so that every server behind one address knows every
 * log-in (docs/scaling.md). Spring Session has no JDBC store for WebFlux, so this is one, on the JDBC
 * scheduler like every other query ({@link Db#async}).
 *
 * <p>Nothing is deserialised into objects of a type the row names: the security context is stored as the
 * user name alone and rebuilt from {@code app_user} on each load (a disabled or deleted user's session
 * then carries no log-in, and a role change applies at once); other attributes are kept only when they
 * are plain text, numbers or booleans. Java serialisation of the context would carry the password hash
 * and the scope into the row and let whoever can write the table choose the classes the server builds.
 */
class DatabaseSessions implements ReactiveSessionRepository<MapSession> {

    private static final Logger log = LoggerFactory.getLogger(DatabaseSessions.class);
    static final String CONTEXT = WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME;

    private final JdbcClient jdbc;
    private final UserDetailsRepository users;
    private final JsonMapper json;
    private final Duration timeout;

    DatabaseSessions(JdbcClient jdbc, UserDetailsRepository users, JsonMapper json, Duration timeout) {
        this.jdbc = jdbc;
        this.users = users;
        this.json = json;
        this.timeout = timeout;
    }

    @Override
    public Mono<MapSession> createSession() {
        return Mono.fromSupplier(() -> {
            MapSession session = new MapSession();
            session.setMaxInactiveInterval(timeout);
            return session;
        });
    }

    private record Row(String id, String username, String attributes, Instant created, Instant lastAccessed,
                       int maxInactiveSeconds) {
    }

    @Override
    public Mono<MapSession> findById(String id) {
        return Db.async(() -> jdbc.sql("""
                        SELECT id, username, attributes::text AS attributes, created_at, last_accessed_at,
                               max_inactive_seconds
                          FROM web_session WHERE id = :id AND expires_at > now()""")
                        .param("id", id)
                        .query((rs, n) -> new Row(rs.getString("id"), rs.getString("username"),
                                rs.getString("attributes"), rs.getTimestamp("created_at").toInstant(),
                                rs.getTimestamp("last_accessed_at").toInstant(), rs.getInt("max_inactive_seconds")))
                        .optional())
                .flatMap(found -> found.map(this::toSession).orElseGet(Mono::empty));
    }

    private Mono<MapSession> toSession(Row row) {
        MapSession session = new MapSession(row.id());
        session.setCreationTime(row.created());
        session.setLastAccessedTime(row.lastAccessed());
        session.setMaxInactiveInterval(Duration.ofSeconds(row.maxInactiveSeconds()));
        json.readValue(row.attributes(), new TypeReference<Map<String, Object>>() { }).forEach(session::setAttribute);
        if (row.username() == null) {
            return Mono.just(session);
        }
        return users.findByUsername(row.username())
                .filter(user -> user instanceof CaregridUser found && found.id() >= 0 && found.isEnabled()
                        && found.getUsername().equals(row.username()))
                .map(user -> {
                    session.setAttribute(CONTEXT, new SecurityContextImpl(
                            UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities())));
                    return session;
                })
                .defaultIfEmpty(session);
    }

    @Override
    public Mono<Void> save(MapSession session) {
        String username = username(session.getAttribute(CONTEXT));
        Map<String, Object> plain = new LinkedHashMap<>();
        for (String name : session.getAttributeNames()) {
            Object value = session.getAttribute(name);
            if (name.equals(CONTEXT)) {
                continue;
            }
            if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                plain.put(name, value);
            } else {
                log.warn("Session attribute {} ({}) is not kept: only text, numbers and log-ins are", name,
                        value == null ? "null" : value.getClass().getName());
            }
        }
        String attributes = json.writeValueAsString(plain);
        Instant lastAccessed = session.getLastAccessedTime();
        long seconds = session.getMaxInactiveInterval().toSeconds();
        return Db.async(() -> {
            if (!session.getId().equals(session.getOriginalId())) {
                // a log-in changes the id (no session fixation): the old id must stop working
                jdbc.sql("DELETE FROM web_session WHERE id = :old").param("old", session.getOriginalId()).update();
            }
            jdbc.sql("""
                            INSERT INTO web_session (id, username, attributes, created_at, last_accessed_at,
                                                     max_inactive_seconds, expires_at)
                            VALUES (:id, :username, CAST(:attributes AS jsonb), :created, :accessed, :seconds,
                                    :expires)
                            ON CONFLICT (id) DO UPDATE SET username = excluded.username,
                                   attributes = excluded.attributes, last_accessed_at = excluded.last_accessed_at,
                                   max_inactive_seconds = excluded.max_inactive_seconds,
                                   expires_at = excluded.expires_at""")
                    .param("id", session.getId()).param("username", username).param("attributes", attributes)
                    .param("created", Timestamp.from(session.getCreationTime()))
                    .param("accessed", Timestamp.from(lastAccessed)).param("seconds", seconds)
                    .param("expires", Timestamp.from(lastAccessed.plusSeconds(seconds)))
                    .update();
            return null;
        }).then();
    }

    /** The logged-in user's name, or null: only a log-in by user name and password is kept in a session. */
    private static String username(Object context) {
        return Optional.ofNullable(context).filter(SecurityContext.class::isInstance).map(SecurityContext.class::cast)
                .map(SecurityContext::getAuthentication).filter(Authentication::isAuthenticated)
                .map(Authentication::getPrincipal).filter(CaregridUser.class::isInstance)
                .map(p -> ((CaregridUser) p).getUsername()).orElse(null);
    }

    @Override
    public Mono<Void> deleteById(String id) {
        return Db.async(() -> jdbc.sql("DELETE FROM web_session WHERE id = :id").param("id", id).update()).then();
    }

    /** Forgets every session that has expired; answers how many. */
    int deleteExpired() {
        return jdbc.sql("DELETE FROM web_session WHERE expires_at <= now()").update();
    }
}
