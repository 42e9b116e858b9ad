package org.caregrid.server.security;

import java.util.Collection;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Writes who read which person's data, when, through which endpoint and for what purpose. The server's
 * database role may only add rows here (V6__row_level_security.sql). Blocking: call it on a JDBC thread.
 */
@Component
public class AuditLog {

    private static final String INSERT = """
            INSERT INTO audit_log (username, action, endpoint, person_id, purpose, detail)
            VALUES (:u, :a, :e, :p, :purpose, CAST(:detail AS jsonb))
            """;

    private final JdbcClient jdbc;

    AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void personRead(CaregridUser user, String endpoint, long personId, Purpose purpose) {
        personAction(user, "read_person", endpoint, personId, purpose);
    }

    /** Any other action on one person's data, e.g. {@code record_visit}, {@code list_visits}. */
    public void personAction(CaregridUser user, String action, String endpoint, long personId, Purpose purpose) {
        jdbc.sql(INSERT).param("u", user.getUsername()).param("a", action).param("e", endpoint)
                .param("p", personId).param("purpose", purpose.code()).param("detail", null).update();
    }

    /**
     * A denied attempt on personal data (a 401, 403 or 404 answer): who tried, the action and endpoint, the person
     * where the path names one, and the answer's status in {@code detail}.
     */
    public void denied(String username, String action, String endpoint, Long personId, Purpose purpose, int status) {
        jdbc.sql("""
                        INSERT INTO audit_log (username, action, endpoint, person_id, purpose, outcome, detail)
                        VALUES (:u, :a, :e, :p, :purpose, 'denied', jsonb_build_object('status', :status))
                        """)
                .param("u", username).param("a", action).param("e", endpoint).param("p", personId)
                .param("purpose", purpose.code()).param("status", status).update();
    }

    /** A list read that showed names: one row, the persons' ids in {@code detail}. */
    public void personsListed(CaregridUser user, String endpoint, Collection<Long> personIds, Purpose purpose) {
        if (personIds.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        INSERT INTO audit_log (username, action, endpoint, purpose, detail)
                        VALUES (:u, 'list_persons', :e, :purpose, jsonb_build_object('person_ids', CAST(:ids AS bigint[])))
                        """)
                .param("u", user.getUsername()).param("e", endpoint).param("purpose", purpose.code())
                .param("ids", personIds.toArray(Long[]::new)).update();
    }
}
