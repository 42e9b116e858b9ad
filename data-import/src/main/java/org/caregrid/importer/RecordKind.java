package org.caregrid.importer;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * What a file holds: the kind of record to make of each row. Use the constants; {@link #byName(String)} accepts
 * the names the command line uses ("buildings", "persons", ...).
 */
public final class RecordKind<T> {

    public static final RecordKind<AdminArea> ADMIN_AREAS =
            new RecordKind<>("admin-areas", "area code", RowMappers::adminArea, AdminArea::code);
    public static final RecordKind<Grid> GRIDS = new RecordKind<>("grids", "grid code", RowMappers::grid, Grid::code);
    public static final RecordKind<Compound> COMPOUNDS =
            new RecordKind<>("compounds", "external id", RowMappers::compound, Compound::externalId);
    public static final RecordKind<Building> BUILDINGS =
            new RecordKind<>("buildings", "external id", RowMappers::building, Building::externalId);
    public static final RecordKind<Unit> UNITS = new RecordKind<>("units", "building and unit", RowMappers::unit,
            u -> u.buildingExternalId() + "/" + u.number());
    public static final RecordKind<Person> PERSONS =
            new RecordKind<>("persons", "external id", RowMappers::person, Person::externalId);
    public static final RecordKind<KeyPersonProfile> KEY_PERSONS = new RecordKind<>("key-persons", "person",
            RowMappers::keyPerson, KeyPersonProfile::personExternalId);
    public static final RecordKind<Volunteer> VOLUNTEERS =
            new RecordKind<>("volunteers", "external id", RowMappers::volunteer, Volunteer::externalId);
    public static final RecordKind<Facility> FACILITIES =
            new RecordKind<>("facilities", "external id", RowMappers::facility, Facility::externalId);
    public static final RecordKind<MicroOrganisation> MICRO_ORGANISATIONS = new RecordKind<>("micro-organisations",
            "external id", RowMappers::microOrganisation, MicroOrganisation::externalId);

    /** A roster of heads and 包保 (楼栋长/单元长/包保责任人名册); the server resolves it, the loader does not. */
    public static final RecordKind<RosterEntry> ASSIGNMENTS = new RecordKind<>("assignments", "appointment",
            RowMappers::assignment, RosterEntry::key, RosterEntry::shownKey);

    /** A visit ledger (走访台账); the server resolves it, the loader does not. */
    public static final RecordKind<LedgerEntry> VISITS = new RecordKind<>("visits", "visit", RowMappers::visit,
            LedgerEntry::key);

    private static final List<RecordKind<?>> ALL = List.of(ADMIN_AREAS, GRIDS, COMPOUNDS, BUILDINGS, UNITS, PERSONS,
            KEY_PERSONS, VOLUNTEERS, FACILITIES, MICRO_ORGANISATIONS, ASSIGNMENTS, VISITS);

    private final String name;
    private final String idName;
    private final Function<Row, T> mapper;
    private final Function<T, String> externalId;
    private final Function<T, String> shownId;

    private RecordKind(String name, String idName, Function<Row, T> mapper, Function<T, String> externalId) {
        this(name, idName, mapper, externalId, externalId);
    }

    /** @param shownId the id as errors show it, where the id itself holds what may not be shown (an ID number) */
    private RecordKind(String name, String idName, Function<Row, T> mapper, Function<T, String> externalId,
                       Function<T, String> shownId) {
        this.name = name;
        this.idName = idName;
        this.mapper = mapper;
        this.externalId = externalId;
        this.shownId = shownId;
    }

    public String name() {
        return name;
    }

    public static List<RecordKind<?>> all() {
        return ALL;
    }

    /** By command-line name, e.g. "buildings"; throws IllegalArgumentException listing the names. */
    public static RecordKind<?> byName(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (RecordKind<?> kind : ALL) {
            if (kind.name.equals(wanted) || kind.name.equals(wanted + "s")) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown record type '" + name + "'; one of "
                + ALL.stream().map(RecordKind::name).toList());
    }

    T map(Row row) {
        return mapper.apply(row);
    }

    String externalId(T record) {
        return externalId.apply(record);
    }

    String shownId(T record) {
        return shownId.apply(record);
    }

    String idName() {
        return idName;
    }

    @Override
    public String toString() {
        return name;
    }
}
