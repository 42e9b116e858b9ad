package org.caregrid.server.history;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.caregrid.server.security.AccessPolicy;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.web.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The history of one record, newest first: who changed what, when, from which values to which, and why.
 * It is written by the database (V7__versions_and_history.sql) for every write, whatever made it; it is
 * shown only to those who may see the record itself, and a person's history only to those who read names.
 */
@Component
public class ChangeHistory {

    /** The entities that keep a history: the entity's name, its table and key, and what reading it needs. */
    enum Entity {
        ASSIGNMENT("assignment", "role_assignment", "id", Action.READ_AGGREGATE),
        PERSON("person", "person", "id", Action.READ_NAMES),
        KEY_PERSON("key-person", "key_person", "person_id", Action.READ_NAMES),
        VOLUNTEER("volunteer", "volunteer", "person_id", Action.READ_NAMES),
        FACILITY("facility", "facility", "id", Action.READ_PLACES),
        DELIVERY_REQUEST("delivery-request", "delivery_request", "id", Action.READ_NAMES),
        ORGANISATION("organisation", "micro_organisation", "id", Action.READ_AGGREGATE),
        CALLOUT("callout", "callout", "id", Action.CALL_OUT),
        USER("user", "app_user", "id", Action.ADMINISTER);

        final String name;
        final String table;
        final String key;
        final Action needs;

        Entity(String name, String table, String key, Action needs) {
            this.name = name;
            this.table = table;
            this.key = key;
            this.needs = needs;
        }

        static Entity of(String name) {
            for (Entity e : values()) {
                if (e.name.equals(name)) {
                    return e;
                }
            }
            throw ApiException.invalid("entity", "error.history.entity", name,
                    String.join(", ", java.util.Arrays.stream(values()).map(e -> e.name).toList()));
        }
    }

    public record Change(long id, OffsetDateTime at, String username, String action, Map<String, Object> before,
                         Map<String, Object> after, String reason) {
    }

    private final JdbcClient jdbc;
    private final tools.jackson.databind.json.JsonMapper json;

    ChangeHistory(JdbcClient jdbc, tools.jackson.databind.json.JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Blocking. Row-level security decides whether the caller sees the record at all. */
    public List<Change> of(CaregridUser user, String entityName, long id) {
        Entity entity = Entity.of(entityName);
        AccessPolicy.require(user, entity.needs);
        boolean visible = jdbc.sql("SELECT EXISTS (SELECT 1 FROM " + entity.table + " WHERE " + entity.key + " = :id)")
                .param("id", id).query(Boolean.class).single();
        if (!visible) {
            throw ApiException.notFound("error.history.notFound", entity.name, id);
        }
        return jdbc.sql("""
                        SELECT id, at, username, action, before::text AS before, after::text AS after, reason
                          FROM change_history WHERE entity = :entity AND entity_id = :id ORDER BY id DESC
                        """)
                .param("entity", entity.name).param("id", id)
                .query((rs, n) -> new Change(rs.getLong("id"), rs.getObject("at", OffsetDateTime.class),
                        rs.getString("username"), rs.getString("action"), map(rs.getString("before")),
                        map(rs.getString("after")), rs.getString("reason")))
                .list();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(String text) {
        return text == null ? null : json.readValue(text, Map.class);
    }
}
