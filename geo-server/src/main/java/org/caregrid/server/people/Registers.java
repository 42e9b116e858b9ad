package org.caregrid.server.people;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.caregrid.importer.Coded;
import org.caregrid.importer.KeyCategory;
import org.caregrid.importer.Need;
import org.caregrid.importer.RiskLevel;
import org.caregrid.server.config.Today;
import org.caregrid.server.history.ChangeReason;
import org.caregrid.server.web.ApiException;
import org.caregrid.server.web.PhoneNumber;
import org.caregrid.server.web.TextInput;
import org.caregrid.server.web.Versions;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The person register and the key-person profiles (重点人群台账): registering, editing, moving house.
 * A person's area and grid follow from their building, so that the scope of every later read is
 * right. Row-level security decides which buildings and persons the caller may name; the history
 * trigger records every change with the caller and the reason.
 */
@Component
class Registers {

    private static final Set<String> CATEGORIES = codes(KeyCategory.values());
    private static final Set<String> NEEDS = codes(Need.values());
    private static final Set<String> RISKS = codes(RiskLevel.values());

    private static Set<String> codes(Coded[] values) {
        return Arrays.stream(values).map(Coded::code).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** A person to register; the home is a building (and unit, room) of the caller's area. */
    record NewPerson(String name, String gender, LocalDate birthDate, String phone, String idNumber, Long buildingId,
                     Long unitId, String room, String reason) {
    }

    /** Changes to a person; a field left out (null) stays as it is. A new building is a move. */
    record PersonChange(String name, String gender, LocalDate birthDate, String phone, Long buildingId, Long unitId,
                        String room, String reason) {
    }

    /** A key-person profile (categories, risk, needs, visit interval); null fields stay as they are on a change. */
    record KeyProfile(Long personId, List<String> categories, String riskLevel, List<String> needs,
                      Integer visitIntervalDays, String notes, String reason) {
    }

    record Saved(long id, int version) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final IdNumberHasher hasher;
    private final Today today;

    Registers(JdbcClient jdbc, TransactionTemplate transactions, IdNumberHasher hasher, Today today) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.hasher = hasher;
        this.today = today;
    }

    /** Blocking. */
    Saved register(NewPerson person) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        if (person.name() == null || person.name().isBlank()) {
            faults.add(new ApiException.FieldFault("name", "error.required"));
        }
        if (person.buildingId() == null) {
            faults.add(new ApiException.FieldFault("buildingId", "error.required"));
        }
        checkPersonFields(person.name(), person.gender(), person.birthDate(), person.phone(), person.room(), person.reason(), faults);
        IdNumberHasher.Hashed id = null;
        try {
            id = hasher.hash(person.idNumber());
        } catch (IllegalArgumentException e) {
            faults.add(new ApiException.FieldFault("idNumber", "error.person.idNumber"));
        }
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        IdNumberHasher.Hashed hashed = id;
        try {
            return transactions.execute(status -> {
                ChangeReason.set(jdbc, person.reason());
                requireHome(person.buildingId(), person.unitId());
                return jdbc.sql("""
                                INSERT INTO person (name, gender, birth_date, phone, id_number_hash, id_number_last4,
                                                    building_id, unit_id, room, area_code, grid_id)
                                SELECT :name, :gender, :birth, :phone, :hash, :last4, b.id, :unit, :room, b.area_code, b.grid_id
                                  FROM building b WHERE b.id = :building
                                RETURNING id, version
                                """)
                        .param("name", person.name().trim()).param("gender", person.gender()).param("birth", person.birthDate())
                        .param("phone", person.phone()).param("hash", hashed == null ? null : hashed.hash())
                        .param("last4", hashed == null ? null : hashed.last4()).param("unit", person.unitId())
                        .param("room", person.room()).param("building", person.buildingId())
                        .query((rs, n) -> new Saved(rs.getLong(1), rs.getInt(2))).single();
            });
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict("error.person.duplicateId");
        }
    }

    /** Blocking. A move (a new building) takes the building's area and grid along. */
    Saved change(long id, PersonChange change, Integer expectedVersion) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        if (change.name() != null && change.name().isBlank()) {
            faults.add(new ApiException.FieldFault("name", "error.required"));
        }
        checkPersonFields(change.name(), change.gender(), change.birthDate(), change.phone(), change.room(), change.reason(), faults);
        if (change.unitId() != null && change.buildingId() == null) {
            faults.add(new ApiException.FieldFault("buildingId", "error.person.unitWithoutBuilding"));
        }
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        return transactions.execute(status -> {
            ChangeReason.set(jdbc, change.reason());
            if (change.buildingId() != null) {
                requireHome(change.buildingId(), change.unitId());
            }
            boolean moves = change.buildingId() != null;
            var updated = jdbc.sql("""
                            UPDATE person p SET name = coalesce(:name, p.name), gender = coalesce(:gender, p.gender),
                                   birth_date = coalesce(:birth, p.birth_date), phone = coalesce(:phone, p.phone),
                                   building_id = CASE WHEN :moves THEN :building ELSE p.building_id END,
                                   unit_id = CASE WHEN :moves THEN :unit ELSE p.unit_id END,
                                   room = CASE WHEN :moves THEN :room ELSE coalesce(:room, p.room) END,
                                   -- the home point follows the building: an old exact point would be a wrong home
                                   location = CASE WHEN :moves THEN NULL ELSE p.location END,
                                   area_code = CASE WHEN :moves THEN b.area_code ELSE p.area_code END,
                                   grid_id = CASE WHEN :moves THEN b.grid_id ELSE p.grid_id END
                              FROM (SELECT 1) one LEFT JOIN building b ON b.id = :building
                             WHERE p.id = :id AND (CAST(:version AS integer) IS NULL OR p.version = :version)
                            RETURNING p.id, p.version
                            """)
                    .param("name", change.name() == null ? null : change.name().trim()).param("gender", change.gender())
                    .param("birth", change.birthDate()).param("phone", change.phone()).param("moves", moves)
                    .param("building", change.buildingId()).param("unit", change.unitId()).param("room", change.room())
                    .param("id", id).param("version", expectedVersion)
                    .query((rs, n) -> new Saved(rs.getLong(1), rs.getInt(2))).optional();
            return updated.orElseThrow(() -> Versions.stale(exists("person", "id", id), "error.person.notFound", id));
        });
    }

    /** Blocking. Makes a registered person a key person. */
    Saved addProfile(KeyProfile profile) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        if (profile.personId() == null) {
            faults.add(new ApiException.FieldFault("personId", "error.required"));
        }
        if (profile.categories() == null || profile.categories().isEmpty()) {
            faults.add(new ApiException.FieldFault("categories", "error.required"));
        }
        if (profile.riskLevel() == null) {
            faults.add(new ApiException.FieldFault("riskLevel", "error.required"));
        }
        checkProfile(profile, faults);
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        try {
            return transactions.execute(status -> {
                ChangeReason.set(jdbc, profile.reason());
                if (!exists("person", "id", profile.personId())) {
                    throw ApiException.notFound("error.person.notFound", profile.personId());
                }
                return jdbc.sql("""
                                INSERT INTO key_person (person_id, categories, risk_level, needs, visit_interval_days,
                                                        registered_on, notes)
                                VALUES (:person, :categories, :risk, :needs, :interval, :today, :notes)
                                RETURNING person_id, version
                                """)
                        .param("person", profile.personId()).param("categories", profile.categories().toArray(String[]::new))
                        .param("risk", profile.riskLevel())
                        .param("needs", profile.needs() == null ? new String[0] : profile.needs().toArray(String[]::new))
                        .param("interval", profile.visitIntervalDays()).param("today", today.date())
                        .param("notes", profile.notes())
                        .query((rs, n) -> new Saved(rs.getLong(1), rs.getInt(2))).single();
            });
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict("error.keyPerson.exists", profile.personId());
        }
    }

    /** Blocking. */
    Saved changeProfile(long personId, KeyProfile profile, Integer expectedVersion) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        if (profile.categories() != null && profile.categories().isEmpty()) {
            faults.add(new ApiException.FieldFault("categories", "error.required"));
        }
        checkProfile(profile, faults);
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        return transactions.execute(status -> {
            ChangeReason.set(jdbc, profile.reason());
            return jdbc.sql("""
                            UPDATE key_person SET categories = coalesce(:categories, categories),
                                   risk_level = coalesce(:risk, risk_level), needs = coalesce(:needs, needs),
                                   visit_interval_days = coalesce(:interval, visit_interval_days),
                                   notes = coalesce(:notes, notes)
                             WHERE person_id = :person AND (CAST(:version AS integer) IS NULL OR version = :version)
                            RETURNING person_id, version
                            """)
                    .param("categories", profile.categories() == null ? null : profile.categories().toArray(String[]::new))
                    .param("risk", profile.riskLevel())
                    .param("needs", profile.needs() == null ? null : profile.needs().toArray(String[]::new))
                    .param("interval", profile.visitIntervalDays()).param("notes", profile.notes())
                    .param("person", personId).param("version", expectedVersion)
                    .query((rs, n) -> new Saved(rs.getLong(1), rs.getInt(2))).optional()
                    .orElseThrow(() -> Versions.stale(exists("key_person", "person_id", personId),
                            "error.keyPerson.notFound", personId));
        });
    }

    private void checkProfile(KeyProfile profile, List<ApiException.FieldFault> faults) {
        checkCodes("categories", profile.categories(), CATEGORIES, faults);
        checkCodes("needs", profile.needs(), NEEDS, faults);
        if (profile.riskLevel() != null && !RISKS.contains(profile.riskLevel())) {
            faults.add(new ApiException.FieldFault("riskLevel", "error.code", profile.riskLevel(), String.join(", ", sorted(RISKS))));
        }
        if (profile.visitIntervalDays() != null && (profile.visitIntervalDays() < 1 || profile.visitIntervalDays() > 366)) {
            faults.add(new ApiException.FieldFault("visitIntervalDays", "error.range", 1, 366, profile.visitIntervalDays()));
        }
        TextInput.check("notes", profile.notes(), 4000, faults);
        TextInput.check("reason", profile.reason(), 500, faults);
    }

    private static void checkCodes(String field, List<String> codes, Set<String> known, List<ApiException.FieldFault> faults) {
        if (codes == null) {
            return;
        }
        for (int i = 0; i < codes.size(); i++) {
            if (codes.get(i) == null || !known.contains(codes.get(i))) {
                faults.add(new ApiException.FieldFault(field + "[" + i + "]", "error.code", String.valueOf(codes.get(i)),
                        String.join(", ", sorted(known))));
            }
        }
    }

    private static List<String> sorted(Set<String> codes) {
        return codes.stream().sorted().toList();
    }

    private void checkPersonFields(String name, String gender, LocalDate birthDate, String phone, String room,
                                   String reason, List<ApiException.FieldFault> faults) {
        TextInput.check("name", name, 100, faults);
        TextInput.check("room", room, 50, faults);
        TextInput.check("reason", reason, 500, faults);
        if (gender != null && !Arrays.asList("female", "male").contains(gender)) {
            faults.add(new ApiException.FieldFault("gender", "error.code", gender, "female, male"));
        }
        if (birthDate != null && (birthDate.isBefore(LocalDate.of(1890, 1, 2)) || birthDate.isAfter(today.date()))) {
            faults.add(new ApiException.FieldFault("birthDate", "error.date.range", LocalDate.of(1890, 1, 2), today.date()));
        }
        if (phone != null && !PhoneNumber.isValid(phone)) {
            faults.add(new ApiException.FieldFault("phone", "error.person.phone", phone));
        }
    }

    /** The home must be a building the caller sees, and the unit one of that building's. */
    private void requireHome(long buildingId, Long unitId) {
        if (!exists("building", "id", buildingId)) {
            throw ApiException.notFound("error.assignment.noSuch.buildingId", buildingId);
        }
        if (unitId != null && !jdbc.sql("SELECT EXISTS (SELECT 1 FROM unit WHERE id = :u AND building_id = :b)")
                .param("u", unitId).param("b", buildingId).query(Boolean.class).single()) {
            throw ApiException.invalid("unitId", "error.person.unitNotInBuilding", unitId, buildingId);
        }
    }

    private boolean exists(String table, String key, long id) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM " + table + " WHERE " + key + " = :id)").param("id", id)
                .query(Boolean.class).single();
    }
}
