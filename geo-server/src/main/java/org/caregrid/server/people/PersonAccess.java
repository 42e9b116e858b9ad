package org.caregrid.server.people;

import java.util.HashMap;
import java.util.Map;

import org.caregrid.server.config.Today;
import org.caregrid.server.security.AccessPolicy;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.SqlPredicate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Who may see which person: the caller's area scope, and for a volunteer only the key persons they
 * are responsible for today. Every handler that shows or changes a person's data asks here.
 */
@Component
public class PersonAccess {

    private static final String RESPONSIBLE_NOW = """
            EXISTS (SELECT 1 FROM role_assignment r
                     WHERE r.scope_person_id = %s.id AND r.role = 'responsible'
                       AND r.person_id = :caller_person
                       AND r.valid_from <= :today AND (r.valid_to IS NULL OR r.valid_to >= :today))
            """;

    private final JdbcClient jdbc;
    private final Today today;

    PersonAccess(JdbcClient jdbc, Today today) {
        this.jdbc = jdbc;
        this.today = today;
    }

    /** Roles whose work needs individual persons (the policy's READ_NAMES); planners work with aggregates. */
    public static boolean mayReadPersons(CaregridUser user) {
        return AccessPolicy.allows(user, Action.READ_NAMES);
    }

    /** Sees only the persons they are responsible for (a volunteer, by the policy). */
    public static boolean onlyAssigned(CaregridUser user) {
        return AccessPolicy.ownKeyPersonsOnly(user);
    }

    /** The predicate on a {@code person} row aliased {@code alias}. */
    public SqlPredicate predicate(CaregridUser user, String alias) {
        SqlPredicate scope = user.scope().rows(alias + ".area_code", alias + ".grid_id");
        if (!onlyAssigned(user)) {
            return scope;
        }
        if (user.personId() == null) {
            return new SqlPredicate("FALSE", Map.of());
        }
        Map<String, Object> params = new HashMap<>(scope.params());
        params.put("caller_person", user.personId());
        params.put("today", today.date());
        return new SqlPredicate(scope.sql() + " AND " + RESPONSIBLE_NOW.formatted(alias), params);
    }

    /**
     * For lists of key persons: a volunteer sees only those they are responsible for; everyone else
     * is limited by the area scope alone (TRUE here).
     *
     * @param personIdColumn the listed person's id column, e.g. {@code i.item_id}
     */
    public SqlPredicate assignedOnly(CaregridUser user, String personIdColumn) {
        if (!onlyAssigned(user)) {
            return SqlPredicate.TRUE;
        }
        if (user.personId() == null) {
            return new SqlPredicate("FALSE", Map.of());
        }
        return new SqlPredicate("""
                EXISTS (SELECT 1 FROM role_assignment ra WHERE ra.scope_person_id = %s AND ra.role = 'responsible'
                          AND ra.person_id = :caller_person
                          AND ra.valid_from <= :today AND (ra.valid_to IS NULL OR ra.valid_to >= :today))
                """.formatted(personIdColumn), Map.of("caller_person", user.personId(), "today", today.date()));
    }

    /** Whether person {@code personId} lives inside the caller's area (planners may appoint them without reading them). */
    public boolean inScope(CaregridUser user, long personId) {
        SqlPredicate scope = user.scope().rows("p.area_code", "p.grid_id");
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM person p WHERE p.id = :id AND " + scope.sql() + ")")
                .param("id", personId).params(scope.params()).query(Boolean.class).single();
    }

    /** Whether the caller may see person {@code personId}. Blocking. */
    public boolean visible(CaregridUser user, long personId) {
        if (!mayReadPersons(user)) {
            return false;
        }
        SqlPredicate predicate = predicate(user, "p");
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM person p WHERE p.id = :id AND " + predicate.sql() + ")")
                .param("id", personId).params(predicate.params()).query(Boolean.class).single();
    }
}
