package org.caregrid.server.people;

import java.util.List;

import org.caregrid.server.security.AccessPolicy;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Masking;
import org.caregrid.server.security.SqlPredicate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Finding a person in the register by name, the last digits of their phone, or their address
 * (building name or room), inside the caller's scope; phone numbers masked unless the role calls people.
 * Closed persons (deceased, moved away) only when asked for, marked with their closing day and reason.
 */
@Component
class PersonSearch {

    record Found(long id, String name, String phone, Long buildingId, String buildingName, String unit, String room,
                 Long gridId, boolean keyPerson, java.time.LocalDate closedOn, String closedReason, int version) {
    }

    record Page(List<Found> items, int page, int size, long total) {
    }

    private final JdbcClient jdbc;
    private final PersonAccess access;

    PersonSearch(JdbcClient jdbc, PersonAccess access) {
        this.jdbc = jdbc;
        this.access = access;
    }

    /** Blocking. */
    Page search(CaregridUser user, String q, Long building, Long unit, Long grid, boolean keyOnly, boolean includeClosed,
                int page, int size) {
        SqlPredicate visible = access.predicate(user, "p");
        String text = q == null || q.isBlank() ? null : q.trim();
        // a query of digits only is the tail of a phone number
        String phoneTail = text != null && text.matches("[0-9]{3,11}") ? text : null;
        String where = """
                 FROM person p
                 LEFT JOIN building b ON b.id = p.building_id
                 LEFT JOIN unit u ON u.id = p.unit_id
                WHERE %s
                  AND (CAST(:q AS text) IS NULL
                       OR p.name LIKE '%%' || :q || '%%'
                       OR (CAST(:tail AS text) IS NOT NULL AND p.phone LIKE '%%' || :tail)
                       OR b.name LIKE '%%' || :q || '%%' OR b.address LIKE '%%' || :q || '%%' OR p.room = :q)
                  AND (CAST(:building AS bigint) IS NULL OR p.building_id = :building)
                  AND (CAST(:unit AS bigint) IS NULL OR p.unit_id = :unit)
                  AND (CAST(:grid AS bigint) IS NULL OR p.grid_id = :grid)
                  AND (NOT :key_only OR EXISTS (SELECT 1 FROM key_person k WHERE k.person_id = p.id))
                  AND (:include_closed OR p.closed_on IS NULL)
                """.formatted(visible.sql());
        var count = jdbc.sql("SELECT count(*)" + where).params(visible.params());
        var rows = jdbc.sql("""
                        SELECT p.id, p.name, p.phone, p.building_id, b.name AS building_name, u.number AS unit_number,
                               p.room, p.grid_id, p.version, p.closed_on, p.closed_reason,
                               EXISTS (SELECT 1 FROM key_person k WHERE k.person_id = p.id) AS key_person
                        """ + where + " ORDER BY p.id LIMIT :size OFFSET :offset").params(visible.params());
        for (var statement : List.of(count, rows)) {
            statement.param("q", text).param("tail", phoneTail).param("building", building).param("unit", unit)
                    .param("grid", grid).param("key_only", keyOnly)
                    .param("include_closed", includeClosed);
        }
        long total = count.query(Long.class).single();
        boolean fullPhone = AccessPolicy.allows(user, Action.READ_PHONE);
        List<Found> items = rows.param("size", size).param("offset", (long) page * size)
                .query((rs, n) -> new Found(rs.getLong("id"), rs.getString("name"),
                        fullPhone ? rs.getString("phone") : Masking.phone(rs.getString("phone")),
                        (Long) rs.getObject("building_id"), rs.getString("building_name"), rs.getString("unit_number"),
                        rs.getString("room"), (Long) rs.getObject("grid_id"), rs.getBoolean("key_person"),
                        rs.getObject("closed_on", java.time.LocalDate.class), rs.getString("closed_reason"),
                        rs.getInt("version")))
                .list();
        return new Page(items, page, size, total);
    }
}
