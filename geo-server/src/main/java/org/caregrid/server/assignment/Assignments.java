package org.caregrid.server.assignment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.caregrid.importer.AssignmentRole;
import org.caregrid.server.config.Today;
import org.caregrid.server.history.ChangeReason;
import org.caregrid.server.people.PersonAccess;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.vocabulary.ReserveTier;
import org.caregrid.server.web.ApiException;
import org.caregrid.server.web.TextInput;
import org.caregrid.server.web.Versions;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Appointing and ending roles: building heads, unit heads, 包保 responsible persons, grid workers and
 * the rest. An assignment is never deleted: it ends (valid_to) and its history keeps both states. Row-level
 * security decides which persons and places the caller may name; the database refuses a second head
 * in office for one building or unit, so two grid workers appointing at once cannot both succeed.
 */
@Component
class Assignments {

    private static final String COLUMNS = """
            a.id, a.role, a.person_id, a.scope_type, a.scope_area_code, a.scope_grid_id, a.scope_compound_id,
            a.scope_building_id, a.scope_unit_id, a.scope_person_id, a.valid_from, a.valid_to, a.tier, a.end_reason,
            a.version, p.name AS person_name
            """;

    static final String INSERT = """
            INSERT INTO role_assignment (person_id, role, scope_type, scope_area_code, scope_grid_id, scope_compound_id,
                                         scope_building_id, scope_unit_id, scope_person_id, valid_from, valid_to, tier)
            VALUES (:person, :role, :scope_type, :area, :grid, :compound, :building, :unit, :key_person, :from, :to, :tier)
            RETURNING id
            """;

    /** What a new assignment says. Exactly one of the place fields is set, the one the role needs. */
    record NewAssignment(String role, Long personId, Long buildingId, Long unitId, Long keyPersonId, Long gridId,
                         Long compoundId, String areaCode, LocalDate validFrom, LocalDate validTo, String tier,
                         String reason) {
    }

    /** A change to an assignment: ending it (validTo), or moving its end. */
    record AssignmentChange(LocalDate validTo, String reason) {
    }

    /** An assignment as the caller may see it: the person's name only for roles that read names. */
    record Assignment(long id, String role, long personId, String personName, String scopeType, String areaCode,
                      Long gridId, Long compoundId, Long buildingId, Long unitId, Long keyPersonId, LocalDate validFrom,
                      LocalDate validTo, String tier, String endReason, boolean active, int version) {
    }

    /** Filters for the list; all optional. */
    record Filter(Long building, Long unit, Long keyPerson, Long grid, Long person, String role, LocalDate activeOn) {
    }

    private static final LocalDate EARLIEST = LocalDate.of(2000, 1, 1);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Today today;

    Assignments(JdbcClient jdbc, TransactionTemplate transactions, Today today) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.today = today;
    }

    /** Blocking. The new assignment, in one transaction with its history. */
    Assignment appoint(NewAssignment request, CaregridUser user) {
        AssignmentRole role = AssignmentPlaces.parse(request.role());
        AssignmentPlaces.Place place = validate(request, role);
        LocalDate from = request.validFrom() == null ? today.date() : request.validFrom();
        try {
            return transactions.execute(status -> {
                ChangeReason.set(jdbc, request.reason());
                requireVisible("person", request.personId(), "personId");
                requirePlace(place, request);
                long id = jdbc.sql(INSERT).param("person", request.personId()).param("role", role.code())
                        .param("scope_type", place.scopeType).param("area", request.areaCode())
                        .param("grid", request.gridId()).param("compound", request.compoundId())
                        .param("building", request.buildingId()).param("unit", request.unitId())
                        .param("key_person", request.keyPersonId()).param("from", from).param("to", request.validTo())
                        .param("tier", request.tier())
                        .query(Long.class).single();
                return find(id, user);
            });
        } catch (DataIntegrityViolationException e) {
            // after the rollback: the transaction that failed can no longer be asked who holds the office
            throw translate(e, role, request, from);
        }
    }

    /** Blocking. Ends an assignment (or moves its end); 412 when {@code expectedVersion} is stale. */
    Assignment change(long id, AssignmentChange change, Integer expectedVersion, CaregridUser user) {
        try {
            return changeOnce(id, change, expectedVersion, user);
        } catch (DataIntegrityViolationException e) {
            throw ApiException.conflict("error.assignment.overlapOnChange", id);
        }
    }

    private Assignment changeOnce(long id, AssignmentChange change, Integer expectedVersion, CaregridUser user) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        TextInput.check("reason", change.reason(), 500, faults);
        if (change.validTo() != null && (change.validTo().isBefore(EARLIEST) || change.validTo().isAfter(today.date().plusYears(10)))) {
            faults.add(new ApiException.FieldFault("validTo", "error.date.range", EARLIEST, today.date().plusYears(10)));
        }
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        return transactions.execute(status -> {
            ChangeReason.set(jdbc, change.reason());
            LocalDate validFrom = jdbc.sql("SELECT valid_from FROM role_assignment WHERE id = :id").param("id", id)
                    .query(LocalDate.class).optional()
                    .orElseThrow(() -> ApiException.notFound("error.assignment.notFound", id));
            if (change.validTo() != null && change.validTo().isBefore(validFrom)) {
                throw ApiException.invalid("validTo", "error.assignment.endBeforeStart", change.validTo(), validFrom);
            }
            int updated = jdbc.sql("""
                            UPDATE role_assignment SET valid_to = :to, end_reason = :reason
                             WHERE id = :id AND (CAST(:version AS integer) IS NULL OR version = :version)
                            """)
                    .param("to", change.validTo()).param("reason", change.reason()).param("id", id)
                    .param("version", expectedVersion).update();
            if (updated == 0) {
                throw Versions.stale(true, "error.assignment.notFound", id);
            }
            return find(id, user);
        });
    }

    /** Blocking. */
    Assignment find(long id, CaregridUser user) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM role_assignment a LEFT JOIN person p ON p.id = a.person_id WHERE a.id = :id")
                .param("id", id).query((rs, n) -> toAssignment(rs, user)).optional()
                .orElseThrow(() -> ApiException.notFound("error.assignment.notFound", id));
    }

    /** Blocking. Newest first, at most {@code limit}. */
    List<Assignment> list(Filter filter, int limit, CaregridUser user) {
        if (filter.role() != null && AssignmentPlaces.parse(filter.role()) == null) {
            throw ApiException.invalid("role", "error.assignment.role", filter.role(), AssignmentPlaces.codes());
        }
        return jdbc.sql("SELECT " + COLUMNS + """
                          FROM role_assignment a LEFT JOIN person p ON p.id = a.person_id
                         WHERE (CAST(:building AS bigint) IS NULL OR a.scope_building_id = :building)
                           AND (CAST(:unit AS bigint) IS NULL OR a.scope_unit_id = :unit)
                           AND (CAST(:key_person AS bigint) IS NULL OR a.scope_person_id = :key_person)
                           AND (CAST(:grid AS bigint) IS NULL OR a.scope_grid_id = :grid)
                           AND (CAST(:person AS bigint) IS NULL OR a.person_id = :person)
                           AND (CAST(:role AS text) IS NULL OR a.role = :role)
                           AND (CAST(:on AS date) IS NULL OR (a.valid_from <= :on AND (a.valid_to IS NULL OR a.valid_to >= :on)))
                         ORDER BY a.id DESC
                         LIMIT :limit
                        """)
                .param("building", filter.building()).param("unit", filter.unit()).param("key_person", filter.keyPerson())
                .param("grid", filter.grid()).param("person", filter.person()).param("role", filter.role())
                .param("on", filter.activeOn()).param("limit", limit)
                .query((rs, n) -> toAssignment(rs, user)).list();
    }

    private Assignment toAssignment(ResultSet rs, CaregridUser user) throws SQLException {
        LocalDate from = rs.getObject("valid_from", LocalDate.class);
        LocalDate to = rs.getObject("valid_to", LocalDate.class);
        LocalDate now = today.date();
        boolean names = PersonAccess.mayReadPersons(user);
        return new Assignment(rs.getLong("id"), rs.getString("role"), rs.getLong("person_id"),
                names ? rs.getString("person_name") : null, rs.getString("scope_type"), rs.getString("scope_area_code"),
                (Long) rs.getObject("scope_grid_id"), (Long) rs.getObject("scope_compound_id"),
                (Long) rs.getObject("scope_building_id"), (Long) rs.getObject("scope_unit_id"),
                (Long) rs.getObject("scope_person_id"), from, to, rs.getString("tier"), rs.getString("end_reason"),
                !from.isAfter(now) && (to == null || !to.isBefore(now)), rs.getInt("version"));
    }

    private AssignmentPlaces.Place validate(NewAssignment request, AssignmentRole role) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        if (role == null) {
            faults.add(new ApiException.FieldFault("role", "error.assignment.role", String.valueOf(request.role()),
                    AssignmentPlaces.codes()));
        }
        if (request.personId() == null) {
            faults.add(new ApiException.FieldFault("personId", "error.required"));
        }
        Map<AssignmentPlaces.Place, Object> given = new java.util.EnumMap<>(AssignmentPlaces.Place.class);
        putIfSet(given, AssignmentPlaces.Place.AREA, request.areaCode());
        putIfSet(given, AssignmentPlaces.Place.GRID, request.gridId());
        putIfSet(given, AssignmentPlaces.Place.COMPOUND, request.compoundId());
        putIfSet(given, AssignmentPlaces.Place.BUILDING, request.buildingId());
        putIfSet(given, AssignmentPlaces.Place.UNIT, request.unitId());
        putIfSet(given, AssignmentPlaces.Place.PERSON, request.keyPersonId());
        AssignmentPlaces.Place place = given.size() == 1 ? given.keySet().iterator().next() : null;
        if (role != null && (place == null || !AssignmentPlaces.of(role).contains(place))) {
            String fields = String.join(" | ", AssignmentPlaces.of(role).stream().map(p -> p.field).toList());
            faults.add(new ApiException.FieldFault(place == null && given.isEmpty() ? fields
                    : given.keySet().iterator().next().field, "error.assignment.place", role.code(), fields));
        }
        if (request.areaCode() != null && !request.areaCode().matches("[0-9]{12}")) {
            faults.add(new ApiException.FieldFault("areaCode", "error.area.code", request.areaCode()));
        }
        LocalDate now = today.date();
        for (var date : List.of(java.util.Map.entry("validFrom", java.util.Optional.ofNullable(request.validFrom())),
                java.util.Map.entry("validTo", java.util.Optional.ofNullable(request.validTo())))) {
            date.getValue().filter(d -> d.isBefore(EARLIEST) || d.isAfter(now.plusYears(10))).ifPresent(d ->
                    faults.add(new ApiException.FieldFault(date.getKey(), "error.date.range", EARLIEST, now.plusYears(10))));
        }
        LocalDate from = request.validFrom() == null ? now : request.validFrom();
        if (request.validTo() != null && request.validTo().isBefore(from)) {
            faults.add(new ApiException.FieldFault("validTo", "error.assignment.endBeforeStart", request.validTo(), from));
        }
        if (request.tier() != null && (role != AssignmentRole.RESERVE
                || Arrays.stream(ReserveTier.values()).noneMatch(t -> t.code().equals(request.tier())))) {
            faults.add(new ApiException.FieldFault("tier", "error.assignment.tier", request.tier()));
        }
        TextInput.check("reason", request.reason(), 500, faults);
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        return place;
    }

    private static void putIfSet(Map<AssignmentPlaces.Place, Object> given, AssignmentPlaces.Place place, Object value) {
        if (value != null) {
            given.put(place, value);
        }
    }

    /** The place must exist for the caller: row-level security hides those outside their scope. */
    private void requirePlace(AssignmentPlaces.Place place, NewAssignment request) {
        switch (place) {
            case AREA -> {
                boolean visible = jdbc.sql("SELECT EXISTS (SELECT 1 FROM admin_area WHERE code = :code AND caregrid_area_code_visible(code))")
                        .param("code", request.areaCode()).query(Boolean.class).single();
                if (!visible) {
                    throw ApiException.notFound("error.area.notFound", request.areaCode());
                }
            }
            case GRID -> {
                boolean visible = jdbc.sql("SELECT EXISTS (SELECT 1 FROM grid WHERE id = :id AND caregrid_grid_visible(id))")
                        .param("id", request.gridId()).query(Boolean.class).single();
                if (!visible) {
                    throw ApiException.notFound("error.grid.notFound", request.gridId());
                }
            }
            case COMPOUND -> requireVisible("compound", request.compoundId(), "compoundId");
            case BUILDING -> requireVisible("building", request.buildingId(), "buildingId");
            case UNIT -> requireVisible("unit", request.unitId(), "unitId");
            case PERSON -> {
                boolean key = jdbc.sql("SELECT EXISTS (SELECT 1 FROM key_person WHERE person_id = :id)")
                        .param("id", request.keyPersonId()).query(Boolean.class).single();
                if (!key) {
                    throw ApiException.notFound("error.assignment.keyPerson", request.keyPersonId());
                }
            }
        }
    }

    private void requireVisible(String table, long id, String field) {
        boolean visible = jdbc.sql("SELECT EXISTS (SELECT 1 FROM " + table + " WHERE id = :id)").param("id", id)
                .query(Boolean.class).single();
        if (!visible) {
            throw ApiException.notFound("error.assignment.noSuch." + field, id);
        }
    }

    /** Two heads in office at once: say who holds the office and since when. */
    private ApiException translate(DataIntegrityViolationException e, AssignmentRole role, NewAssignment request,
                                   LocalDate from) {
        String message = String.valueOf(e.getMostSpecificCause().getMessage());
        if (message.contains("one_building_head_at_a_time") || message.contains("one_unit_head_at_a_time")) {
            boolean building = role == AssignmentRole.BUILDING_HEAD;
            var holder = jdbc.sql("""
                            SELECT id, valid_from, valid_to FROM role_assignment
                             WHERE role = :role AND (scope_building_id = :place OR scope_unit_id = :place)
                               AND daterange(valid_from, valid_to, '[]') && daterange(:from, :to, '[]')
                             ORDER BY valid_from LIMIT 1
                            """)
                    .param("role", role.code()).param("place", building ? request.buildingId() : request.unitId())
                    .param("from", from).param("to", request.validTo())
                    .query((rs, n) -> List.of(rs.getLong(1), String.valueOf(rs.getObject(2, LocalDate.class)),
                            rs.getObject(3) == null ? "—" : String.valueOf(rs.getObject(3, LocalDate.class))))
                    .optional().orElse(List.of(0L, "?", "?"));
            return ApiException.conflict(building ? "error.assignment.buildingHeadTaken" : "error.assignment.unitHeadTaken",
                    holder.get(0), holder.get(1), holder.get(2));
        }
        return ApiException.conflict("error.text", message);
    }
}
