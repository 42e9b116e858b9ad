package org.caregrid.server.facility;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.caregrid.server.history.ChangeReason;
import org.caregrid.server.routing.NearestFacilityRefresher;
import org.caregrid.server.security.AreaScope;
import org.caregrid.server.security.SqlPredicate;
import org.caregrid.server.vocabulary.Vocabulary;
import org.caregrid.server.web.ApiException;
import org.caregrid.server.web.LatLon;
import org.caregrid.server.web.OpeningHoursInput;
import org.caregrid.server.web.PhoneNumber;
import org.caregrid.server.web.TextInput;
import org.caregrid.server.web.Versions;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeping the facilities (pharmacies, clinics, stations, offices): kind, name, opening hours in OSM
 * syntax, phone, address and location. The community and grid follow from the location, so that every
 * scoped read finds the facility where it stands; a location outside the caller's area is refused. The
 * coverage state's straight-line estimates follow in the same transaction (a trigger); the stored walks
 * to the nearest health facility are recomputed in the background once the write is committed.
 */
@Component
class Facilities {

    record NewFacility(String kind, String name, String openingHours, String phone, String address, LatLon location,
                       List<String> specialities, Boolean emergency, String reason) {
    }

    /** Changes; a field left out (null) stays as it is. A new location is a move. */
    record FacilityChange(String kind, String name, String openingHours, String phone, String address, LatLon location,
                          List<String> specialities, Boolean emergency, String reason) {
    }

    record Facility(long id, String kind, String name, String openingHours, String phone, String address,
                    String areaCode, Long gridId, LatLon location, List<String> specialities, boolean emergency,
                    int version) {
    }

    private static final String COLUMNS = """
            id, kind, name, opening_hours, phone, address, area_code, grid_id,
            ST_Y(location) AS lat, ST_X(location) AS lon, specialities, emergency, version
            """;

    /** The community and grid a point lies in: the grid's community where a grid covers it. */
    private static final String PLACE_OF_POINT = """
            WITH pt AS (SELECT ST_SetSRID(ST_MakePoint(CAST(:lon AS float8), CAST(:lat AS float8)), 4326) AS g),
            in_grid AS (SELECT gr.id, gr.community_code FROM grid gr, pt WHERE ST_Covers(gr.geom, pt.g) ORDER BY gr.id LIMIT 1),
            in_area AS (SELECT a.code FROM admin_area a, pt WHERE a.level = 'community' AND ST_Covers(a.geom, pt.g)
                         ORDER BY a.code LIMIT 1)
            SELECT coalesce((SELECT community_code FROM in_grid), (SELECT code FROM in_area)) AS area_code,
                   (SELECT id FROM in_grid) AS grid_id
            """;

    static final int MAX_SPECIALITIES = 20;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final NearestFacilityRefresher nearest;

    Facilities(JdbcClient jdbc, TransactionTemplate transactions, NearestFacilityRefresher nearest) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.nearest = nearest;
    }

    /** Blocking. */
    Facility register(NewFacility facility) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        if (facility.kind() == null) {
            faults.add(new ApiException.FieldFault("kind", "error.required"));
        }
        if (facility.name() == null || facility.name().isBlank()) {
            faults.add(new ApiException.FieldFault("name", "error.required"));
        }
        if (facility.location() == null) {
            faults.add(new ApiException.FieldFault("location", "error.required"));
        }
        String openingHours = checkFields(facility.kind(), facility.name(), facility.openingHours(), facility.phone(),
                facility.address(), facility.location(), facility.reason(), faults);
        String[] specialities = specialities(facility.specialities(), faults);
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        Facility saved = transactions.execute(status -> {
            ChangeReason.set(jdbc, facility.reason());
            Place place = placeOf(facility.location());
            return jdbc.sql("""
                            INSERT INTO facility (kind, name, opening_hours, phone, address, area_code, grid_id, location,
                                                  specialities, emergency)
                            VALUES (:kind, :name, :hours, :phone, :address, :area, :grid,
                                    ST_SetSRID(ST_MakePoint(CAST(:lon AS float8), CAST(:lat AS float8)), 4326),
                                    coalesce(CAST(:specialities AS text[]), '{}'), :emergency)
                            RETURNING\s""" + COLUMNS)
                    .param("kind", facility.kind()).param("name", facility.name().trim()).param("hours", openingHours)
                    .param("phone", blankToNull(facility.phone())).param("address", blankToNull(facility.address()))
                    .param("area", place.areaCode()).param("grid", place.gridId())
                    .param("lat", facility.location().lat()).param("lon", facility.location().lon())
                    .param("specialities", specialities)
                    .param("emergency", Boolean.TRUE.equals(facility.emergency()))
                    .query((rs, n) -> toFacility(rs)).single();
        });
        nearest.refreshAfterChange();
        return saved;
    }

    /** Blocking. */
    Facility change(long id, FacilityChange change, Integer expectedVersion, AreaScope scope) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        if (change.name() != null && change.name().isBlank()) {
            faults.add(new ApiException.FieldFault("name", "error.required"));
        }
        String openingHours = checkFields(change.kind(), change.name(), change.openingHours(), change.phone(),
                change.address(), change.location(), change.reason(), faults);
        String[] specialities = specialities(change.specialities(), faults);
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        Facility saved = transactions.execute(status -> {
            ChangeReason.set(jdbc, change.reason());
            find(id, scope);
            Place place = change.location() == null ? null : placeOf(change.location());
            return jdbc.sql("""
                            UPDATE facility SET kind = coalesce(:kind, kind), name = coalesce(:name, name),
                                   opening_hours = coalesce(CAST(:hours AS text), opening_hours),
                                   phone = coalesce(CAST(:phone AS text), phone), address = coalesce(CAST(:address AS text), address),
                                   area_code = CASE WHEN :moved THEN :area ELSE area_code END,
                                   grid_id = CASE WHEN :moved THEN CAST(:grid AS bigint) ELSE grid_id END,
                                   location = coalesce(ST_SetSRID(ST_MakePoint(CAST(:lon AS float8), CAST(:lat AS float8)), 4326),
                                                       location),
                                   specialities = coalesce(CAST(:specialities AS text[]), specialities),
                                   emergency = coalesce(CAST(:emergency AS boolean), emergency)
                             WHERE id = :id AND (CAST(:version AS integer) IS NULL OR version = :version)
                            RETURNING\s""" + COLUMNS)
                    .param("id", id).param("version", expectedVersion)
                    .param("kind", change.kind()).param("name", change.name() == null ? null : change.name().trim())
                    .param("hours", openingHours).param("phone", blankToNull(change.phone()))
                    .param("address", blankToNull(change.address()))
                    .param("moved", place != null)
                    .param("area", place == null ? null : place.areaCode()).param("grid", place == null ? null : place.gridId())
                    .param("lat", change.location() == null ? null : change.location().lat())
                    .param("lon", change.location() == null ? null : change.location().lon())
                    .param("specialities", specialities).param("emergency", change.emergency())
                    .query((rs, n) -> toFacility(rs)).optional()
                    .orElseThrow(() -> Versions.stale(true, "error.facility.notFound", id));
        });
        if (change.location() != null || change.kind() != null) {
            nearest.refreshAfterChange();
        }
        return saved;
    }

    /** Blocking. A facility inside the caller's scope (a grid-scoped user: the grid's community). */
    Facility find(long id, AreaScope scope) {
        SqlPredicate visible = scope.rows("f.area_code", null);
        return jdbc.sql("SELECT " + COLUMNS + " FROM facility f WHERE f.id = :id AND " + visible.sql())
                .params(visible.params()).param("id", id)
                .query((rs, n) -> toFacility(rs)).optional()
                .orElseThrow(() -> ApiException.notFound("error.facility.notFound", id));
    }

    private record Place(String areaCode, Long gridId) {
    }

    /** Where a point lies; refused when that is outside the caller's area (or in no known community and the caller has an area). */
    private Place placeOf(LatLon location) {
        Place place = jdbc.sql(PLACE_OF_POINT).param("lat", location.lat()).param("lon", location.lon())
                .query((rs, n) -> new Place(rs.getString("area_code"), (Long) rs.getObject("grid_id"))).single();
        boolean inScope = jdbc.sql("SELECT caregrid_place_visible(:area, CAST(:grid AS bigint))")
                .param("area", place.areaCode()).param("grid", place.gridId()).query(Boolean.class).single();
        if (!inScope) {
            throw ApiException.invalid("location", "error.facility.outside");
        }
        return place;
    }

    private static String checkFields(String kind, String name, String openingHours, String phone, String address,
                                      LatLon location, String reason, List<ApiException.FieldFault> faults) {
        Vocabulary.FACILITY_KINDS.check("kind", kind, faults);
        TextInput.check("name", name, 200, faults);
        TextInput.check("address", address, 300, faults);
        TextInput.check("reason", reason, 500, faults);
        if (phone != null && !phone.isBlank() && !PhoneNumber.isValid(phone.trim())) {
            faults.add(new ApiException.FieldFault("phone", "error.person.phone", phone));
        }
        LatLon.check("location", location, faults);
        return OpeningHoursInput.normalise("openingHours", openingHours, faults);
    }

    /**
     * OSM healthcare:speciality words (obstetrics, paediatrics, ...), lower case; null (unchanged) when absent.
     * The emergency transfer matches them exactly, so a word with capitals or spaces is refused, not guessed.
     */
    private static String[] specialities(List<String> specialities, List<ApiException.FieldFault> faults) {
        if (specialities == null) {
            return null;
        }
        if (specialities.size() > MAX_SPECIALITIES) {
            faults.add(new ApiException.FieldFault("specialities", "error.facility.specialities", MAX_SPECIALITIES));
            return null;
        }
        for (int i = 0; i < specialities.size(); i++) {
            String word = specialities.get(i);
            if (word == null || !word.matches("[a-z_]{2,40}")) {
                faults.add(new ApiException.FieldFault("specialities[" + i + "]", "error.facility.speciality", word));
            }
        }
        return specialities.stream().distinct().toArray(String[]::new);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    private static Facility toFacility(ResultSet rs) throws SQLException {
        return new Facility(rs.getLong("id"), rs.getString("kind"), rs.getString("name"), rs.getString("opening_hours"),
                rs.getString("phone"), rs.getString("address"), rs.getString("area_code"), (Long) rs.getObject("grid_id"),
                new LatLon(rs.getDouble("lat"), rs.getDouble("lon")),
                List.of((String[]) rs.getArray("specialities").getArray()), rs.getBoolean("emergency"),
                rs.getInt("version"));
    }
}
