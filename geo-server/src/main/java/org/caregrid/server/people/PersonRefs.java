package org.caregrid.server.people;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

import org.caregrid.importer.BuildingMatcher;
import org.caregrid.importer.IdNumbers;
import org.caregrid.importer.RosterEntry;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Finds the one person a file names as ledgers and rosters name people: a name with the last four digits of a phone,
 * or an ID number (by its hash). It reads in the caller's database session, so row-level security keeps the search
 * to what the caller may see. Blocking.
 */
@Component
public class PersonRefs {

    /** A person found, with their home building (or null). */
    public record Found(long id, String name, Long home) {
    }

    /** The person, or why there is none ({@code problem} then names the person as the file did). */
    public record Lookup(Found found, String problem) {
    }

    private final JdbcClient jdbc;
    private final IdNumberHasher hasher;

    PersonRefs(JdbcClient jdbc, IdNumberHasher hasher) {
        this.jdbc = jdbc;
        this.hasher = hasher;
    }

    /**
     * @param building   the home building as the file writes it (3栋 = 3号楼), to tell namesakes apart; may be null
     * @param scopeLabel the caller's area, named when nobody matches
     */
    public Lookup find(RosterEntry.PersonRef ref, String building, String scopeLabel) {
        List<Candidate> found;
        String who;
        if (ref.idNumber() != null) {
            found = jdbc.sql(SELECT + " WHERE p.id_number_hash = :h").param("h", hasher.hash(ref.idNumber()).hash())
                    .query(PersonRefs::candidate).list();
            who = "with the ID number " + IdNumbers.mask(ref.idNumber());
            if (found.size() == 1 && ref.name() != null && !ref.name().equals(found.get(0).found().name())) {
                return new Lookup(null, "the person " + who + " is '" + found.get(0).found().name() + "', not '"
                        + ref.name() + "'");
            }
        } else {
            found = jdbc.sql(SELECT + """
                             WHERE p.name = :name
                               AND right(regexp_replace(coalesce(p.phone, ''), '[^0-9]', '', 'g'), 4) = :tail
                             ORDER BY p.id LIMIT 20""")
                    .param("name", ref.name()).param("tail", ref.phoneTail()).query(PersonRefs::candidate).list();
            who = "'" + ref.name() + "' with a phone ending " + ref.phoneTail();
        }
        if (found.size() > 1 && building != null) {
            String wanted = BuildingMatcher.key(building);
            found = found.stream().filter(c -> Objects.equals(BuildingMatcher.key(c.building()), wanted)).toList();
            who += " in " + building;
        }
        if (found.isEmpty()) {
            return new Lookup(null, "no person " + who + " in " + scopeLabel);
        }
        if (found.size() > 1) {
            return new Lookup(null, found.size() + " persons " + who + ": give the ID number");
        }
        return new Lookup(found.get(0).found(), null);
    }

    private record Candidate(Found found, String building) {
    }

    private static final String SELECT = """
            SELECT p.id, p.name, p.building_id, b.name AS building_name
              FROM person p LEFT JOIN building b ON b.id = p.building_id
            """;

    private static Candidate candidate(ResultSet rs, int row) throws SQLException {
        return new Candidate(new Found(rs.getLong("id"), rs.getString("name"), (Long) rs.getObject("building_id")),
                rs.getString("building_name"));
    }
}
