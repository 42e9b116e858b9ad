package org.caregrid.server.imports;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.caregrid.importer.Address;
import org.caregrid.importer.AdminArea;
import org.caregrid.importer.Availability;
import org.caregrid.importer.Building;
import org.caregrid.importer.Compound;
import org.caregrid.importer.DeliveryRequest;
import org.caregrid.importer.Facility;
import org.caregrid.importer.Grid;
import org.caregrid.importer.Head;
import org.caregrid.importer.ImportError;
import org.caregrid.importer.ImportPhases;
import org.caregrid.importer.KeyCategory;
import org.caregrid.importer.KeyPersonProfile;
import org.caregrid.importer.MicroOrganisation;
import org.caregrid.importer.Need;
import org.caregrid.importer.Person;
import org.caregrid.importer.Unit;
import org.caregrid.importer.Visit;
import org.caregrid.importer.Volunteer;
import org.caregrid.importer.VolunteerTeam;
import org.caregrid.importer.demo.PopulationVisitor;
import org.caregrid.server.people.IdNumberHasher;
import org.caregrid.server.web.PhoneNumber;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.WKBWriter;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Writes data-import records into PostGIS within the caller's transaction: every record is COPYed into a staging
 * table, then {@link #finish()} merges the staging tables into the schema in dependency order and runs the spatial
 * joins. The caller commits or rolls back, so a job is all or nothing. Not thread-safe; one per job.
 */
public final class RecordLoader implements PopulationVisitor {

    /** What a load did: rows staged and rows that changed, per table, and the records it had to leave out or fix. */
    public record Report(Map<String, Long> staged, Map<String, Long> changed, List<ImportError> problems,
                         long millis) {
        public long stagedTotal() {
            return staged.values().stream().mapToLong(Long::longValue).sum();
        }

        public long changedTotal() {
            return changed.values().stream().mapToLong(Long::longValue).sum();
        }
    }


    /** Loads of fewer staged rows run without PostgreSQL's JIT (see {@link #finish()}). */
    private static final long JIT_FROM_ROWS = 100_000;

    private final Connection connection;
    private final String source;
    private final String fileName;
    private final IdNumberHasher hasher;
    private final Map<String, CopyBuffer> buffers = new LinkedHashMap<>();
    private final List<ImportError> problems = new ArrayList<>();
    private final long started = System.nanoTime();
    private ImportPhases phases = ImportPhases.NONE;
    private final WKBWriter wkbWriter = new WKBWriter();

    /**
     * @param source   the source rows are keyed by when a record does not name its own (e.g. the file name)
     * @param fileName named in the problems reported
     */
    public RecordLoader(Connection connection, String source, String fileName, IdNumberHasher hasher) throws SQLException {
        this.connection = connection;
        this.source = source;
        this.fileName = fileName;
        this.hasher = hasher;
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        try (Statement s = connection.createStatement()) {
            s.execute("DROP TABLE IF EXISTS stage_area, stage_grid, stage_compound, stage_building, stage_unit, "
                    + "stage_person, stage_key_person, stage_volunteer, stage_head, stage_facility, stage_micro, "
                    + "stage_visit, stage_request");
            s.execute(LoadSql.STAGING_TABLES);
        }
        for (String table : List.of("stage_area", "stage_grid", "stage_compound", "stage_building", "stage_unit",
                "stage_person", "stage_key_person", "stage_volunteer", "stage_head", "stage_facility", "stage_micro",
                "stage_visit", "stage_request")) {
            buffers.put(table, new CopyBuffer(copy, table));
        }
    }

    public String source() {
        return source;
    }

    /** Books {@link #finish()}'s steps (the last COPY, the checks, each merge and spatial join) to {@code phases}. */
    public RecordLoader timed(ImportPhases phases) {
        this.phases = phases;
        return this;
    }

    public void adminArea(AdminArea area) {
        stage("stage_area", area.code(), area.level().name().toLowerCase(Locale.ROOT), area.name(), area.parentCode(),
                wkb(area.boundary()));
    }

    public void grid(Grid grid) {
        stage("stage_grid", grid.code(), grid.name(), grid.communityCode(), wkb(grid.boundary()));
    }

    public void compound(Compound compound) {
        stage("stage_compound", source, compound.externalId(), compound.name(), compound.hasPropertyManagement(),
                wkb(compound.boundary()));
    }

    public void building(Building building) {
        stage("stage_building", sourceOf(building), building.externalId(),
                building.name() != null ? building.name() : building.code(), address(building.address()),
                building.compoundExternalId(), building.floors(), building.households(), building.householdsEstimated(),
                wkb(building.footprint()), wkb(building.entrance()));
    }

    public void unit(Unit unit) {
        if (unit.buildingExternalId() == null) {
            problems.add(new ImportError(fileName, 0, "entrance", ImportError.Severity.WARNING,
                    "entrance " + unit.number() + " lies on no building's outline and was left out"));
            return;
        }
        stage("stage_unit", source, unit.buildingExternalId(), unit.number(), unit.households(), wkb(unit.entrance()));
    }

    public void facility(Facility facility) {
        stage("stage_facility", source, facility.externalId(), facility.kind().code(),
                facility.name() == null || facility.name().isBlank() ? facility.kind().chinese() : facility.name(),
                facility.openingHours(), wkb(facility.location()), array(facility.specialities()), facility.emergency());
    }

    public void microOrganisation(MicroOrganisation organisation) {
        stage("stage_micro", source, organisation.externalId(), organisation.name(), organisation.kind(),
                organisation.communityCode(), organisation.compoundExternalId());
    }

    @Override
    public void person(Person person) {
        String hash = null;
        String last4 = null;
        try {
            IdNumberHasher.Hashed hashed = hasher.hash(person.idNumber());
            if (hashed != null) {
                hash = HexFormat.of().formatHex(hashed.hash());
                last4 = hashed.last4();
            }
        } catch (IllegalArgumentException e) {
            warn(person.externalId(), "idNumber", e.getMessage() + "; the ID number was left out");
        }
        stage("stage_person", source, person.externalId(), person.name(), gender(person.gender()), person.birthDate(),
                phone(person.externalId(), person.phone()), hash, last4, person.buildingRef(), person.unit(),
                person.room(), wkb(person.location()), person.synthetic());
    }

    @Override
    public void keyPerson(KeyPersonProfile profile) {
        stage("stage_key_person", source, profile.personExternalId(),
                array(profile.categories().stream().map(KeyCategory::code).sorted().toList()),
                profile.riskLevel().code(),
                array(profile.needs().stream().map(Need::code).sorted().toList()),
                profile.responsiblePersonExternalId());
    }

    @Override
    public void head(Head head) {
        stage("stage_head", source, head.role().code(),
                head.buildingExternalId(), head.unitNumber(), head.personExternalId());
    }

    @Override
    public void volunteer(Volunteer volunteer) {
        stage("stage_volunteer", source, volunteer.externalId(), volunteer.personExternalId(), volunteer.name(),
                phone(volunteer.externalId(), volunteer.phone()), array(volunteer.skills().stream().sorted().toList()),
                array(volunteer.teams().stream().map(VolunteerTeam::code).sorted().toList()),
                volunteer.travelMode().code(), Math.max(1, Math.min(100, volunteer.capacity())),
                availability(volunteer.availability()), wkb(volunteer.home()), volunteer.reserve());
    }

    @Override
    public void visit(Visit visit) {
        stage("stage_visit", source, visit.externalId(), visit.personExternalId(), visit.visitorExternalId(),
                visit.date(), visit.method().code(), visit.findings());
    }

    @Override
    public void deliveryRequest(DeliveryRequest request) {
        stage("stage_request", source, request.externalId(), request.personExternalId(), request.requestedAt(),
                request.medicine());
    }

    /** Rows staged so far, all tables. */
    public long stagedRows() {
        return buffers.values().stream().mapToLong(CopyBuffer::count).sum();
    }

    /** Merges everything staged into the schema and runs the spatial joins; the caller then commits. */
    public Report finish() throws SQLException {
        Map<String, Long> staged = new LinkedHashMap<>();
        for (var entry : buffers.entrySet()) {
            entry.getValue().flush();
            if (entry.getValue().count() > 0) {
                staged.put(entry.getKey().substring("stage_".length()), entry.getValue().count());
            }
        }
        phases.mark("load.copy");
        try (Statement s = connection.createStatement()) {
            s.execute("ANALYZE stage_building, stage_person, stage_unit");
            // the merges are costed high (spatial subqueries per row), which sets off PostgreSQL's JIT even for a few
            // thousand rows, where compiling took longer than running (80 ms of 530 for the building join of an OSM
            // town); a large load wants it, though the server's connections run without it (DatabaseConfig)
            boolean large = staged.values().stream().mapToLong(Long::longValue).sum() >= JIT_FROM_ROWS;
            s.execute(large ? "SET LOCAL jit = on" : "SET LOCAL jit = off");
        }
        if (buffers.get("stage_person").count() > 0) {
            checkIdNumbers();
        }
        phases.mark("load.checks");
        Map<String, Long> changed = new LinkedHashMap<>();
        for (LoadSql.Merge merge : LoadSql.MERGES) {
            // a merge that reads only empty staging tables changes nothing, but its planning and the statement
            // triggers on its table (coverage, change extents) cost 10-40 ms each: an OSM import stages 4 of 13
            if (merge.stagingTables().stream().anyMatch(table -> buffers.get(table).count() > 0)) {
                run(merge, changed);
                phases.mark("merge." + merge.table());
            }
        }
        for (LoadSql.Merge merge : LoadSql.SPATIAL_JOINS) {
            run(merge, changed);
            phases.mark("join." + merge.table());
        }
        return new Report(staged, changed, List.copyOf(problems), (System.nanoTime() - started) / 1_000_000);
    }

    /** Synthetic duplicates lose their ID number; a real one (in the file or against the database) fails the load. */
    private void checkIdNumbers() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(LoadSql.DROP_SYNTHETIC_DUPLICATE_ID_NUMBERS);
            List<String> duplicates = new ArrayList<>();
            try (var rs = s.executeQuery(LoadSql.DUPLICATE_ID_NUMBERS)) {
                while (rs.next()) {
                    duplicates.add(rs.getString(1) + " and " + rs.getString(2) + " (ID number ending "
                            + rs.getString(3) + ")");
                }
            }
            if (!duplicates.isEmpty()) {
                throw new LoadException("idNumber", "one ID number for two people: " + String.join("; ", duplicates),
                        null);
            }
        }
    }

    private void run(LoadSql.Merge merge, Map<String, Long> changed) throws SQLException {
        try (Statement s = connection.createStatement()) {
            long rows = s.executeLargeUpdate(merge.sql());
            if (rows > 0) {
                changed.merge(merge.table(), rows, Long::sum);
            }
        }
    }

    private void stage(String table, Object... values) {
        try {
            buffers.get(table).row(values);
        } catch (SQLException e) {
            throw new LoadException("The database refused the rows for " + table.substring("stage_".length())
                    + ": " + e.getMessage(), e);
        }
    }

    private String sourceOf(Building building) {
        return building.source() != null && !building.source().isBlank() ? building.source() : source;
    }

    private String phone(String id, String phone) {
        if (phone == null || phone.isBlank()) {
            return null;
        }
        String trimmed = phone.trim();
        if (!PhoneNumber.isValid(trimmed)) {
            warn(id, "phone", "'" + trimmed + "' is not a phone number; left out");
            return null;
        }
        return trimmed;
    }

    private void warn(String id, String field, String reason) {
        problems.add(new ImportError(fileName, 0, field, ImportError.Severity.WARNING, id + ": " + reason));
    }

    /** Hex WKB, as the merges read it ({@code ST_GeomFromWKB(decode(…, 'hex'), 4326)}). */
    private String wkb(Geometry geometry) {
        return geometry == null || geometry.isEmpty() ? null : WKBWriter.toHex(wkbWriter.write(geometry));
    }

    private static String gender(Person.Gender gender) {
        return gender == null || gender == Person.Gender.UNKNOWN ? null : gender.name().toLowerCase(Locale.ROOT);
    }

    private static String address(Address address) {
        if (address == null || address.isEmpty()) {
            return null;
        }
        return java.util.stream.Stream.of(address.city(), address.district(), address.street(), address.compound(),
                        address.houseNumber())
                .filter(p -> p != null && !p.isBlank()).collect(Collectors.joining(" "));
    }

    /** A PostgreSQL array literal of plain words. */
    private static String array(Collection<String> values) {
        return values.stream().map(v -> '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"')
                .collect(Collectors.joining(",", "{", "}"));
    }

    /** The weekly availability in OSM opening_hours syntax, as the volunteer table keeps it. */
    static String availability(Availability availability) {
        if (availability == null || availability.days().isEmpty()) {
            return null;
        }
        String days = availability.days().stream().sorted().map(RecordLoader::osmDay).collect(Collectors.joining(","));
        return days + " " + availability.from() + "-" + availability.to();
    }

    private static String osmDay(DayOfWeek day) {
        return day.getDisplayName(java.time.format.TextStyle.SHORT, Locale.ENGLISH).substring(0, 2);
    }
}
