package org.caregrid.server.people;

import org.caregrid.server.web.ApiException;
import org.caregrid.server.security.Requires;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.AccessPolicy;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.caregrid.server.db.Db;
import org.caregrid.server.security.AuditLog;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Purpose;
import org.caregrid.server.security.Masking;
import org.caregrid.server.security.SqlPredicate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * One person's record. Sensitive (PIPL): only roles whose work needs names, only inside the
 * caller's area, phone and ID masked unless the role calls people, and every read audited.
 */
@RestController
class PersonController {

    private static final String PERSON = """
            SELECT p.id, p.name, p.gender, p.birth_date, p.phone, p.id_number_last4, p.room,
                   p.building_id, b.name AS building_name, b.address, u.number AS unit_number,
                   p.grid_id, p.area_code, ST_X(coalesce(p.location, u.entrance, b.entrance)) AS lon,
                   ST_Y(coalesce(p.location, u.entrance, b.entrance)) AS lat,
                   k.categories, k.risk_level, k.needs, k.visit_interval_days, p.closed_on, p.closed_reason, p.version
              FROM person p
              LEFT JOIN building b ON b.id = p.building_id
              LEFT JOIN unit u ON u.id = p.unit_id
              LEFT JOIN key_person k ON k.person_id = p.id
             WHERE p.id = :id AND %s
            """;

    private final JdbcClient jdbc;
    private final AuditLog auditLog;
    private final PersonAccess access;

    PersonController(JdbcClient jdbc, AuditLog auditLog, PersonAccess access) {
        this.jdbc = jdbc;
        this.auditLog = auditLog;
        this.access = access;
    }

    record KeyPersonProfile(List<String> categories, String riskLevel, List<String> needs, Integer visitIntervalDays) {
    }

    record PersonView(long id, String name, String gender, String birthDate, String phone, String idNumber,
                      Long buildingId, String buildingName, String address, String unit, String room,
                      Long gridId, String areaCode, Double lon, Double lat, KeyPersonProfile keyPerson,
                      String closedOn, String closedReason, int version) {
    }

    @GetMapping("/api/persons/{id}")
    @Requires(Action.READ_NAMES)
    Mono<PersonView> person(@PathVariable long id, @AuthenticationPrincipal CaregridUser user) {
        return Db.async(() -> find(id, user).map(person -> {
            auditLog.personRead(user, "GET /api/persons/" + id, id, Purpose.VISIT);
            return person;
        })).flatMap(found -> found.map(Mono::just).orElseGet(() -> Mono.error(
                ApiException.notFound("error.person.notFound", id))));
    }

    private Optional<PersonView> find(long id, CaregridUser user) {
        SqlPredicate visible = access.predicate(user, "p");
        // those who call or visit people need the number; the others see it masked
        boolean fullPhone = AccessPolicy.allows(user, Action.READ_PHONE);
        var statement = jdbc.sql(PERSON.formatted(visible.sql())).param("id", id).params(visible.params());
        return statement.query((rs, row) -> {
            String phone = rs.getString("phone");
            KeyPersonProfile profile = null;
            if (rs.getString("risk_level") != null) {
                profile = new KeyPersonProfile(
                        Arrays.asList((String[]) rs.getArray("categories").getArray()),
                        rs.getString("risk_level"),
                        Arrays.asList((String[]) rs.getArray("needs").getArray()),
                        (Integer) rs.getObject("visit_interval_days"));
            }
            return new PersonView(rs.getLong("id"), rs.getString("name"), rs.getString("gender"),
                    rs.getString("birth_date"), fullPhone ? phone : Masking.phone(phone),
                    Masking.idNumber(rs.getString("id_number_last4")),
                    (Long) rs.getObject("building_id"), rs.getString("building_name"), rs.getString("address"),
                    rs.getString("unit_number"), rs.getString("room"), (Long) rs.getObject("grid_id"),
                    rs.getString("area_code"), (Double) rs.getObject("lon"), (Double) rs.getObject("lat"), profile,
                    rs.getString("closed_on"), rs.getString("closed_reason"), rs.getInt("version"));
        }).optional();
    }
}
