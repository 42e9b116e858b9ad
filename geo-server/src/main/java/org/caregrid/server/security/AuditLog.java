package org.caregrid.server.security;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Writes who read which person's data, when and through which endpoint. Blocking: call it on a JDBC thread. */
@Component
public class AuditLog {

    private final JdbcClient jdbc;

    AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void personRead(CaregridUser user, String endpoint, long personId) {
        jdbc.sql("INSERT INTO audit_log (username, action, endpoint, person_id) VALUES (:u, 'read_person', :e, :p)")
                .param("u", user.getUsername()).param("e", endpoint).param("p", personId).update();
    }

    /** Any other action on one person's data, e.g. {@code record_visit}, {@code list_visits}. */
    public void personAction(CaregridUser user, String action, String endpoint, long personId) {
        jdbc.sql("INSERT INTO audit_log (username, action, endpoint, person_id) VALUES (:u, :a, :e, :p)")
                .param("u", user.getUsername()).param("a", action).param("e", endpoint).param("p", personId).update();
    }

    /** A list read that showed names: one row, the persons' ids in {@code detail}. */
    public void personsListed(CaregridUser user, String endpoint, java.util.Collection<Long> personIds) {
        if (personIds.isEmpty()) {
            return;
        }
        jdbc.sql("INSERT INTO audit_log (username, action, endpoint, detail) "
                        + "VALUES (:u, 'list_persons', :e, jsonb_build_object('person_ids', CAST(:ids AS bigint[])))")
                .param("u", user.getUsername()).param("e", endpoint)
                .param("ids", personIds.toArray(Long[]::new)).update();
    }
}
