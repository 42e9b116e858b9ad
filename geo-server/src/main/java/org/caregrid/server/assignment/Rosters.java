package org.caregrid.server.assignment;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.caregrid.importer.Address;
import org.caregrid.importer.AssignmentRole;
import org.caregrid.importer.Building;
import org.caregrid.importer.BuildingMatcher;
import org.caregrid.importer.ImportError;
import org.caregrid.importer.RosterEntry;
import org.caregrid.server.config.Today;
import org.caregrid.server.history.ChangeReason;
import org.caregrid.server.people.PersonRefs;
import org.caregrid.server.people.PersonRefs.Found;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imports a roster of heads and 包保 (楼栋长/单元长/包保责任人名册): each line is resolved against what the caller
 * may see (row-level security: a grid worker's roster can name only their grid's buildings and people), compared
 * with the appointments in office, and written as role_assignment rows as {@link Assignments} writes them, so the
 * history and coverage triggers fire as for an appointment made in the API.
 *
 * <p>A roster's scope is the compounds of the buildings it names (a building outside any compound counts alone),
 * and the homes of the key persons it names: an appointment in office there that the file no longer lists is
 * "unlisted". It is ended (valid_to, never deleted) only when the caller asks ({@link Options#endUnlisted}). An
 * appointment the file lists that is already in office is left as it is, so importing a file twice changes nothing.
 * Any line that cannot be resolved fails the whole file: nothing is written.
 */
@Component
public class Rosters {

    /** What a step does to one appointment. */
    public static final String CREATE = "create";
    public static final String UNCHANGED = "unchanged";
    public static final String END = "end";
    /** In the file's scope, in office, no longer listed, and kept because ending was not asked for. */
    public static final String UNLISTED = "unlisted";

    /**
     * @param dryRun      resolve and plan, write nothing
     * @param endUnlisted end the appointments in the file's scope that it no longer lists
     * @param scopeLabel  the caller's area or grid, named in "no such building" errors
     */
    public record Options(boolean dryRun, boolean endUnlisted, String scopeLabel) {
    }

    /** One line of the plan. {@code row} is the file's row (0 for an unlisted appointment). */
    public record Step(String action, long row, String role, String building, String unit, String person,
                       String keyPerson, LocalDate validFrom, LocalDate validTo, Long assignmentId,
                       long personId, Long keyPersonId) {
    }

    /** The plan (done, or for a dry run to be done) and the problems; with a problem nothing was written. */
    public record Outcome(boolean written, List<Step> plan, List<ImportError> errors) {

        public Map<String, Long> counts() {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (String action : List.of(CREATE, UNCHANGED, END, UNLISTED)) {
                counts.put(action, plan.stream().filter(s -> s.action().equals(action)).count());
            }
            return counts;
        }
    }

    private record Place(long id, String name, Long compoundId) {
    }

    private record UnitRow(long id, String number) {
    }

    /** A line resolved to database ids. */
    private record Wanted(RosterEntry entry, long personId, String personName, Place building, Long unitId,
                          String unitNumber, Long keyPersonId, String keyPersonName, Long keyHome) {

        String key() {
            return entry.role().code() + "|" + (entry.role() == AssignmentRole.BUILDING_HEAD ? building.id() : null)
                    + "|" + unitId + "|" + keyPersonId + "|" + personId;
        }

        /** The office only one person holds at a time (a building's or a unit's head), else null. */
        String office() {
            return switch (entry.role()) {
                case BUILDING_HEAD -> "b" + building.id();
                case UNIT_HEAD -> "u" + unitId;
                default -> null;
            };
        }
    }

    /** An appointment in office in the file's scope. */
    private record Held(long id, String role, long personId, String personName, Long buildingId, Long unitId,
                        Long keyPersonId, LocalDate validFrom, LocalDate validTo, String buildingName,
                        String unitNumber, String keyPersonName) {

        String key() {
            return role + "|" + buildingId + "|" + unitId + "|" + keyPersonId + "|" + personId;
        }

        String office() {
            return switch (role) {
                case "building_head" -> "b" + buildingId;
                case "unit_head" -> "u" + unitId;
                default -> null;
            };
        }
    }

    private static final List<String> ROSTER_ROLES = List.of("building_head", "unit_head", "responsible");

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Today today;
    private final PersonRefs people;

    Rosters(JdbcClient jdbc, TransactionTemplate transactions, Today today, PersonRefs people) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.today = today;
        this.people = people;
    }

    /** True for the record types this class imports. */
    public static boolean handles(String type) {
        return type != null && type.trim().toLowerCase(java.util.Locale.ROOT).matches("assignments?");
    }

    /** Blocking; one transaction, rolled back for a dry run or any problem. */
    public Outcome run(List<RosterEntry> entries, String fileName, Options options) {
        return transactions.execute(status -> {
            ChangeReason.set(jdbc, "roster " + fileName);
            Resolution resolution = new Resolution(fileName, options);
            entries.forEach(resolution::resolve);
            List<Step> plan = resolution.plan();
            if (!resolution.errors.isEmpty() || options.dryRun()) {
                status.setRollbackOnly();
                return new Outcome(false, plan, resolution.errors);
            }
            ImportError refused = resolution.write(plan);
            if (refused != null) {
                status.setRollbackOnly();
                return new Outcome(false, plan, List.of(refused));
            }
            return new Outcome(true, plan, resolution.errors);
        });
    }

    /** One import's look-ups, plan and writes. */
    private final class Resolution {
        private final String fileName;
        private final Options options;
        private final LocalDate now = today.date();
        private final List<ImportError> errors = new ArrayList<>();
        private final List<Wanted> wanted = new ArrayList<>();
        private final Map<String, Long> officeRows = new HashMap<>();
        private final Map<Long, Place> places = new HashMap<>();
        private final BuildingMatcher matcher;
        private final Map<Building, Place> placeOf = new IdentityHashMap<>();

        Resolution(String fileName, Options options) {
            this.fileName = fileName;
            this.options = options;
            List<Building> buildings = new ArrayList<>();
            jdbc.sql("""
                            SELECT b.id, b.external_id, b.name, b.compound_id, c.name AS compound
                              FROM building b LEFT JOIN compound c ON c.id = b.compound_id""")
                    .query((rs, n) -> {
                        Place place = new Place(rs.getLong("id"), rs.getString("name"),
                                (Long) rs.getObject("compound_id"));
                        // a building without an external id can still be named; "#id" matches nothing a file says
                        String externalId = rs.getString("external_id");
                        Building building = new Building(externalId != null ? externalId : "#" + place.id(), null,
                                place.name(), null, null, null, null, null, false, null,
                                new Address(null, null, null, null, rs.getString("compound"), null));
                        places.put(place.id(), place);
                        placeOf.put(building, place);
                        buildings.add(building);
                        return null;
                    }).list();
            matcher = new BuildingMatcher(buildings);
        }

        private void error(RosterEntry entry, String field, String reason) {
            errors.add(new ImportError(fileName, entry.row(), field, ImportError.Severity.ERROR, reason));
        }

        void resolve(RosterEntry entry) {
            int before = errors.size();
            Place building = null;
            Long unitId = null;
            String unitNumber = null;
            if (entry.role() != AssignmentRole.RESPONSIBLE) {
                BuildingMatcher.Match match = matcher.match(entry.building(), entry.compound());
                if (!match.found()) {
                    error(entry, "building", match.problem() + (entry.compound() == null && match.problem()
                            .startsWith("no building") ? " in " + options.scopeLabel() : ""));
                    return;
                }
                building = placeOf.get(match.building());
            }
            if (entry.role() == AssignmentRole.UNIT_HEAD) {
                List<UnitRow> units = jdbc.sql("SELECT id, number FROM unit WHERE building_id = :b ORDER BY number")
                        .param("b", building.id()).query((rs, n) -> new UnitRow(rs.getLong(1), rs.getString(2)))
                        .list();
                String wantedKey = BuildingMatcher.unitKey(entry.unit());
                for (UnitRow unit : units) {
                    if (Objects.equals(BuildingMatcher.unitKey(unit.number()), wantedKey)) {
                        unitId = unit.id();
                        unitNumber = unit.number();
                    }
                }
                if (unitId == null) {
                    error(entry, "unit", "building " + building.name() + " has no unit '" + entry.unit() + "'"
                            + (units.isEmpty() ? "" : " (it has " + String.join(", ",
                            units.stream().map(UnitRow::number).toList()) + ")"));
                }
            }
            Found person = person(entry, entry.person(), entry.person().idNumber() != null ? "idNumber" : "name");
            Found keyPerson = null;
            if (entry.role() == AssignmentRole.RESPONSIBLE) {
                keyPerson = person(entry, entry.keyPerson(), "keyPerson");
                if (keyPerson != null && !jdbc.sql("SELECT EXISTS (SELECT 1 FROM key_person WHERE person_id = :id)")
                        .param("id", keyPerson.id()).query(Boolean.class).single()) {
                    error(entry, "keyPerson", "'" + keyPerson.name() + "' is not a key person: register them as one "
                            + "first");
                }
            }
            if (errors.size() > before || person == null) {
                return;
            }
            Wanted line = new Wanted(entry, person.id(), person.name(), building, unitId, unitNumber,
                    keyPerson == null ? null : keyPerson.id(), keyPerson == null ? null : keyPerson.name(),
                    keyPerson == null ? null : keyPerson.home());
            String office = line.office();
            Long otherRow = office == null ? null : officeRows.putIfAbsent(office, entry.row());
            if (otherRow != null) {
                error(entry, entry.role() == AssignmentRole.UNIT_HEAD ? "unit" : "building",
                        "row " + otherRow + " names another " + entry.role().code() + " of " + building.name()
                                + (unitNumber != null ? " " + unitNumber : "") + ": one head at a time");
                return;
            }
            wanted.add(line);
        }

        /** The one person a roster names, or null with the error reported. */
        private Found person(RosterEntry entry, RosterEntry.PersonRef ref, String field) {
            PersonRefs.Lookup lookup = people.find(ref, null, options.scopeLabel());
            if (lookup.found() == null) {
                error(entry, field, lookup.problem());
                return null;
            }
            return lookup.found();
        }

        /** The steps: the file's lines (create or unchanged), then the unlisted appointments of its scope. */
        List<Step> plan() {
            if (!errors.isEmpty()) {
                return List.of();
            }
            Map<String, Held> held = new LinkedHashMap<>();
            heldInScope().forEach(h -> held.put(h.key(), h));
            Set<String> listed = new HashSet<>();
            Map<String, LocalDate> newStarts = new HashMap<>();
            List<Step> steps = new ArrayList<>();
            for (Wanted line : wanted) {
                Held same = held.get(line.key());
                RosterEntry e = line.entry();
                if (same != null) {
                    listed.add(same.key());
                    steps.add(step(UNCHANGED, e.row(), line, same.validFrom(), same.validTo(), same.id()));
                } else {
                    LocalDate from = e.validFrom() != null ? e.validFrom() : now;
                    if (line.office() != null) {
                        newStarts.put(line.office(), from);
                    }
                    steps.add(step(CREATE, e.row(), line, from, e.validTo(), null));
                }
            }
            for (Held h : held.values()) {
                if (listed.contains(h.key())) {
                    continue;
                }
                LocalDate newStart = h.office() == null ? null : newStarts.get(h.office());
                if (newStart != null && !options.endUnlisted()) {
                    Step creating = steps.stream().filter(s -> s.action().equals(CREATE) && h.office().equals(
                            officeOf(s))).findFirst().orElseThrow();
                    errors.add(new ImportError(fileName, creating.row(), h.unitId() != null ? "unit" : "building",
                            ImportError.Severity.ERROR, h.buildingName() + (h.unitNumber() != null ? " "
                            + h.unitNumber() : "") + " has a " + h.role() + " in office (" + h.personName()
                            + " since " + h.validFrom() + "): end it first, or import with the unlisted "
                            + "appointments ended (--end-unlisted; a dry run shows what ends)"));
                    continue;
                }
                LocalDate end = now.minusDays(1);
                if (newStart != null && newStart.minusDays(1).isBefore(end)) {
                    end = newStart.minusDays(1);
                }
                if (end.isBefore(h.validFrom())) {
                    end = h.validFrom();
                }
                steps.add(new Step(options.endUnlisted() ? END : UNLISTED, 0, h.role(), h.buildingName(),
                        h.unitNumber(), h.personName(), h.keyPersonName(), h.validFrom(),
                        options.endUnlisted() ? end : h.validTo(), h.id(), h.personId(), h.keyPersonId()));
            }
            return errors.isEmpty() ? steps : List.of();
        }

        private String officeOf(Step s) {
            return wanted.stream().filter(w -> w.entry().row() == s.row()).map(Wanted::office).findFirst().orElse("");
        }

        private Step step(String action, long row, Wanted line, LocalDate from, LocalDate to, Long id) {
            return new Step(action, row, line.entry().role().code(), line.building() == null ? null
                    : line.building().name(), line.unitNumber(), line.personName(), line.keyPersonName(), from, to, id,
                    line.personId(), line.keyPersonId());
        }

        /**
         * The appointments in office (or to come) in the file's scope: the compounds of the buildings it names, a
         * building outside any compound alone, the homes of the key persons it names, and those key persons.
         */
        private List<Held> heldInScope() {
            Set<Long> buildings = new HashSet<>();
            Set<Long> compounds = new HashSet<>();
            List<Long> keyPersons = new ArrayList<>();
            for (Wanted line : wanted) {
                Place place = line.building() != null ? line.building()
                        : line.keyHome() != null ? places.get(line.keyHome()) : null;
                if (place != null) {
                    buildings.add(place.id());
                    if (place.compoundId() != null) {
                        compounds.add(place.compoundId());
                    }
                }
                if (line.keyPersonId() != null) {
                    keyPersons.add(line.keyPersonId());
                }
            }
            places.values().stream().filter(p -> p.compoundId() != null && compounds.contains(p.compoundId()))
                    .forEach(p -> buildings.add(p.id()));
            if (buildings.isEmpty() && keyPersons.isEmpty()) {
                return List.of();
            }
            return jdbc.sql("""
                            SELECT a.id, a.role, a.person_id, p.name AS person_name, a.scope_building_id,
                                   a.scope_unit_id, a.scope_person_id, a.valid_from, a.valid_to,
                                   b.name AS building_name, u.number AS unit_number, k.name AS key_person_name
                              FROM role_assignment a
                              JOIN person p ON p.id = a.person_id
                              LEFT JOIN unit u ON u.id = a.scope_unit_id
                              LEFT JOIN person k ON k.id = a.scope_person_id
                              LEFT JOIN building b ON b.id = coalesce(a.scope_building_id, u.building_id)
                             WHERE a.role IN (:roles) AND (a.valid_to IS NULL OR a.valid_to >= :today)
                               AND (coalesce(a.scope_building_id, u.building_id, k.building_id)
                                        = ANY (CAST(:buildings AS bigint[]))
                                    OR a.scope_person_id = ANY (CAST(:key_persons AS bigint[])))
                             ORDER BY a.id""")
                    .param("roles", ROSTER_ROLES).param("today", now)
                    .param("buildings", arrayLiteral(buildings)).param("key_persons", arrayLiteral(keyPersons))
                    .query((rs, n) -> new Held(rs.getLong("id"), rs.getString("role"), rs.getLong("person_id"),
                            rs.getString("person_name"), (Long) rs.getObject("scope_building_id"),
                            (Long) rs.getObject("scope_unit_id"), (Long) rs.getObject("scope_person_id"),
                            rs.getObject("valid_from", LocalDate.class), rs.getObject("valid_to", LocalDate.class),
                            rs.getString("building_name"), rs.getString("unit_number"), rs.getString("key_person_name")))
                    .list();
        }

        private static String arrayLiteral(java.util.Collection<Long> ids) {
            return ids.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",", "{", "}"));
        }

        /**
         * Ends first (a successor may start the day after), then appoints, as the API would one by one. Returns the
         * line the database refused (a head appointed in the API since the plan was made, or dates that overlap a
         * predecessor's), or null.
         */
        ImportError write(List<Step> plan) {
            for (Step step : plan) {
                if (step.action().equals(END)) {
                    jdbc.sql("UPDATE role_assignment SET valid_to = :to, end_reason = :reason WHERE id = :id")
                            .param("to", step.validTo()).param("reason", "not in the roster " + fileName)
                            .param("id", step.assignmentId()).update();
                }
            }
            for (Step step : plan) {
                if (!step.action().equals(CREATE)) {
                    continue;
                }
                Wanted line = wanted.stream().filter(w -> w.entry().row() == step.row()).findFirst().orElseThrow();
                AssignmentRole role = line.entry().role();
                try {
                    jdbc.sql(Assignments.INSERT).param("person", line.personId()).param("role", role.code())
                        .param("scope_type", AssignmentPlaces.of(role).iterator().next().scopeType)
                        .param("area", null).param("grid", null).param("compound", null)
                        .param("building", role == AssignmentRole.BUILDING_HEAD ? line.building().id() : null)
                        .param("unit", line.unitId()).param("key_person", line.keyPersonId())
                        .param("from", step.validFrom()).param("to", step.validTo()).param("tier", null)
                        .query(Long.class).single();
                } catch (DataIntegrityViolationException e) {
                    return new ImportError(fileName, step.row(), role == AssignmentRole.UNIT_HEAD ? "unit"
                            : "building", ImportError.Severity.ERROR, "another " + role.code() + " holds the office on "
                            + "some of the days from " + step.validFrom() + (step.validTo() == null ? ""
                            : " to " + step.validTo()) + ": nothing was imported");
                }
            }
            return null;
        }
    }
}
