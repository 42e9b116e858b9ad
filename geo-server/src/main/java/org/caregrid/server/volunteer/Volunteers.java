package org.caregrid.server.volunteer;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.caregrid.server.config.Today;
import org.caregrid.server.history.ChangeReason;
import org.caregrid.server.vocabulary.Vocabulary;
import org.caregrid.server.web.ApiException;
import org.caregrid.server.web.LatLon;
import org.caregrid.server.web.OpeningHoursInput;
import org.caregrid.server.web.TextInput;
import org.caregrid.server.web.Versions;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The volunteer register (志愿者): what a registered person can do (skills, teams), how they travel, how
 * much they carry, when they are free (OSM opening_hours syntax) and whether they belong to the reserve
 * force (机动力量) and at which tier. A volunteer starts from home unless told otherwise: the home is
 * the person's own point, else their unit's or building's entrance. Row-level security decides whose
 * record the caller may see or change (persons of their area); the history trigger records each change.
 */
@Component
class Volunteers {

    static final int MAX_SKILLS = 20;

    /** A new volunteer; everything but the person may be left out (defaults: on foot, capacity 5). */
    record NewVolunteer(Long personId, List<String> skills, List<String> teams, String travelMode, Integer capacity,
                        Integer maxStops, String availability, Boolean reserve, String reserveTier, LatLon home,
                        String reason) {
    }

    /** Changes to a volunteer; a field left out (null) stays as it is. A tier puts the volunteer in the reserve. */
    record VolunteerChange(List<String> skills, List<String> teams, String travelMode, Integer capacity, Integer maxStops,
                           String availability, Boolean reserve, String reserveTier, LatLon home, String reason) {
    }

    record Volunteer(long personId, List<String> skills, List<String> teams, String travelMode, int capacity,
                     Integer maxStops, String availability, boolean reserve, String reserveTier, LatLon home,
                     LocalDate registeredOn, int version) {
    }

    private static final String COLUMNS = """
            person_id, skills, teams, travel_mode, capacity, max_stops, availability, is_reserve, reserve_tier,
            ST_Y(home) AS lat, ST_X(home) AS lon, registered_on, version
            """;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Today today;

    Volunteers(JdbcClient jdbc, TransactionTemplate transactions, Today today) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.today = today;
    }

    /** Blocking. */
    Volunteer register(NewVolunteer volunteer) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        if (volunteer.personId() == null) {
            faults.add(new ApiException.FieldFault("personId", "error.required"));
        }
        String availability = checkFields(volunteer.skills(), volunteer.teams(), volunteer.travelMode(), volunteer.capacity(),
                volunteer.maxStops(), volunteer.availability(), volunteer.reserve(), volunteer.reserveTier(),
                volunteer.home(), volunteer.reason(), faults);
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        LatLon home = volunteer.home();
        return transactions.execute(status -> {
            ChangeReason.set(jdbc, volunteer.reason());
            // row-level security hides persons outside the caller's area: for them this finds nothing
            Boolean homeKnown = jdbc.sql("""
                            SELECT coalesce(p.location, u.entrance, b.entrance) IS NOT NULL
                              FROM person p LEFT JOIN unit u ON u.id = p.unit_id LEFT JOIN building b ON b.id = p.building_id
                             WHERE p.id = :id
                            """).param("id", volunteer.personId()).query(Boolean.class).optional()
                    .orElseThrow(() -> ApiException.notFound("error.person.notFound", volunteer.personId()));
            if (jdbc.sql("SELECT EXISTS (SELECT 1 FROM volunteer WHERE person_id = :id)").param("id", volunteer.personId())
                    .query(Boolean.class).single()) {
                throw ApiException.conflict("error.volunteer.exists", volunteer.personId());
            }
            if (home == null && !homeKnown) {
                throw ApiException.invalid("home", "error.volunteer.home");
            }
            boolean reserve = Boolean.TRUE.equals(volunteer.reserve()) || volunteer.reserveTier() != null;
            return jdbc.sql("""
                            INSERT INTO volunteer (person_id, skills, teams, travel_mode, capacity, max_stops, availability,
                                                   home, is_reserve, reserve_tier, registered_on)
                            SELECT p.id, CAST(:skills AS text[]), CAST(:teams AS text[]), :mode, :capacity, :max_stops,
                                   :availability,
                                   coalesce(ST_SetSRID(ST_MakePoint(CAST(:lon AS float8), CAST(:lat AS float8)), 4326),
                                            p.location, u.entrance, b.entrance),
                                   :reserve, :tier, :today
                              FROM person p LEFT JOIN unit u ON u.id = p.unit_id LEFT JOIN building b ON b.id = p.building_id
                             WHERE p.id = :id
                            RETURNING\s""" + COLUMNS)
                    .param("id", volunteer.personId())
                    .param("skills", trimmed(volunteer.skills()))
                    .param("teams", volunteer.teams() == null ? new String[0] : volunteer.teams().toArray(String[]::new))
                    .param("mode", volunteer.travelMode() == null ? "foot" : volunteer.travelMode())
                    .param("capacity", volunteer.capacity() == null ? 5 : volunteer.capacity())
                    .param("max_stops", volunteer.maxStops())
                    .param("availability", availability)
                    .param("lat", home == null ? null : home.lat()).param("lon", home == null ? null : home.lon())
                    .param("reserve", reserve).param("tier", volunteer.reserveTier()).param("today", today.date())
                    .query((rs, n) -> toVolunteer(rs)).single();
        });
    }

    /** Blocking. */
    Volunteer change(long personId, VolunteerChange change, Integer expectedVersion) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        String availability = checkFields(change.skills(), change.teams(), change.travelMode(), change.capacity(),
                change.maxStops(), change.availability(), change.reserve(), change.reserveTier(), change.home(),
                change.reason(), faults);
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        LatLon home = change.home();
        Boolean reserve = change.reserveTier() != null ? Boolean.TRUE : change.reserve();
        return transactions.execute(status -> {
            ChangeReason.set(jdbc, change.reason());
            boolean exists = jdbc.sql("SELECT EXISTS (SELECT 1 FROM volunteer WHERE person_id = :id)").param("id", personId)
                    .query(Boolean.class).single();
            if (!exists) {
                throw ApiException.notFound("error.volunteer.notFound", personId);
            }
            return jdbc.sql("""
                            UPDATE volunteer SET
                                   skills = coalesce(CAST(:skills AS text[]), skills),
                                   teams = coalesce(CAST(:teams AS text[]), teams),
                                   travel_mode = coalesce(:mode, travel_mode),
                                   capacity = coalesce(CAST(:capacity AS integer), capacity),
                                   max_stops = coalesce(CAST(:max_stops AS integer), max_stops),
                                   availability = coalesce(CAST(:availability AS text), availability),
                                   home = coalesce(ST_SetSRID(ST_MakePoint(CAST(:lon AS float8), CAST(:lat AS float8)), 4326), home),
                                   is_reserve = coalesce(CAST(:reserve AS boolean), is_reserve),
                                   -- leaving the reserve leaves its tier too
                                   reserve_tier = CASE WHEN CAST(:reserve AS boolean) IS FALSE THEN NULL
                                                       ELSE coalesce(CAST(:tier AS text), reserve_tier) END
                             WHERE person_id = :id AND (CAST(:version AS integer) IS NULL OR version = :version)
                            RETURNING\s""" + COLUMNS)
                    .param("id", personId).param("version", expectedVersion)
                    .param("skills", change.skills() == null ? null : trimmed(change.skills()))
                    .param("teams", change.teams() == null ? null : change.teams().toArray(String[]::new))
                    .param("mode", change.travelMode())
                    .param("capacity", change.capacity()).param("max_stops", change.maxStops())
                    .param("availability", availability)
                    .param("lat", home == null ? null : home.lat()).param("lon", home == null ? null : home.lon())
                    .param("reserve", reserve).param("tier", change.reserveTier())
                    .query((rs, n) -> toVolunteer(rs)).optional()
                    .orElseThrow(() -> Versions.stale(true, "error.volunteer.notFound", personId));
        });
    }

    /** Blocking. */
    Volunteer find(long personId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM volunteer WHERE person_id = :id").param("id", personId)
                .query((rs, n) -> toVolunteer(rs)).optional()
                .orElseThrow(() -> ApiException.notFound("error.volunteer.notFound", personId));
    }

    /** Checks what a registration and a change share; returns the availability in its normal form. */
    private static String checkFields(List<String> skills, List<String> teams, String travelMode, Integer capacity,
                                      Integer maxStops, String availability, Boolean reserve, String reserveTier,
                                      LatLon home, String reason, List<ApiException.FieldFault> faults) {
        if (skills != null) {
            if (skills.size() > MAX_SKILLS) {
                faults.add(new ApiException.FieldFault("skills", "error.range", 0, MAX_SKILLS, skills.size()));
            }
            for (int i = 0; i < skills.size(); i++) {
                if (skills.get(i) == null || skills.get(i).isBlank()) {
                    faults.add(new ApiException.FieldFault("skills[" + i + "]", "error.required"));
                } else {
                    TextInput.check("skills[" + i + "]", skills.get(i), 50, faults);
                }
            }
        }
        Vocabulary.TEAMS.checkEach("teams", teams, faults);
        Vocabulary.TRAVEL_MODES.check("travelMode", travelMode, faults);
        Vocabulary.RESERVE_TIERS.check("reserveTier", reserveTier, faults);
        if (capacity != null && (capacity < 1 || capacity > 100)) {
            faults.add(new ApiException.FieldFault("capacity", "error.range", 1, 100, capacity));
        }
        if (maxStops != null && (maxStops < 1 || maxStops > 200)) {
            faults.add(new ApiException.FieldFault("maxStops", "error.range", 1, 200, maxStops));
        }
        if (Boolean.FALSE.equals(reserve) && reserveTier != null) {
            faults.add(new ApiException.FieldFault("reserveTier", "error.volunteer.tierWithoutReserve"));
        }
        LatLon.check("home", home, faults);
        TextInput.check("reason", reason, 500, faults);
        return OpeningHoursInput.normalise("availability", availability, faults);
    }

    private static String[] trimmed(List<String> skills) {
        return skills == null ? new String[0] : skills.stream().map(String::trim).distinct().toArray(String[]::new);
    }

    private static Volunteer toVolunteer(ResultSet rs) throws SQLException {
        return new Volunteer(rs.getLong("person_id"), texts(rs.getArray("skills")), texts(rs.getArray("teams")),
                rs.getString("travel_mode"), rs.getInt("capacity"), (Integer) rs.getObject("max_stops"),
                rs.getString("availability"), rs.getBoolean("is_reserve"), rs.getString("reserve_tier"),
                new LatLon(rs.getDouble("lat"), rs.getDouble("lon")), rs.getObject("registered_on", LocalDate.class),
                rs.getInt("version"));
    }

    private static List<String> texts(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
