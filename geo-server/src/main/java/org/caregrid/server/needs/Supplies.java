package org.caregrid.server.needs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

import org.caregrid.server.config.Today;
import org.caregrid.server.coverage.CoverageProperties;
import org.caregrid.server.history.ChangeReason;
import org.caregrid.server.security.AccessPolicy;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Reach;
import org.caregrid.server.vocabulary.SupplyProvider;
import org.caregrid.server.vocabulary.Vocabulary;
import org.caregrid.server.web.ApiException;
import org.caregrid.server.web.LatLon;
import org.caregrid.server.web.TextInput;
import org.caregrid.server.web.Versions;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The supply list (供给清单): what organisations, micro-organisations, social-work stations and volunteers
 * offer, of which kind (the needs' vocabulary), for which area, how many times a week and when. A supply
 * ends on a day (PATCH endedOn); it is never deleted, since the needs it took name it. Row-level security
 * (V32) shows a supply to callers whose scope overlaps the area it serves and lets only those whose scope
 * holds all of that area write it. A week runs Monday to Sunday in the configured zone.
 */
@Component
class Supplies {

    /**
     * @param location where the help starts from; the provider's own (the station, the volunteer's home) when left out
     * @param startsOn today when left out
     */
    record NewSupply(String providerKind, Long organisationId, Long facilityId, Long volunteerPersonId, String kind,
                     String areaCode, LatLon location, Integer capacityPerWeek, String times, String note,
                     LocalDate startsOn, String reason) {
    }

    /** A field left out stays as it is; {@code endedOn} ends the supply (its last day). */
    record SupplyChange(Integer capacityPerWeek, String times, String note, LocalDate endedOn, String reason) {
    }

    /**
     * @param providerName the organisation's or station's name; a volunteer's only for callers who read names
     * @param usedThisWeek needs taken for it since Monday
     */
    record Supply(long id, String providerKind, Long organisationId, Long facilityId, Long volunteerPersonId,
                  String providerName, String kind, String areaCode, double lat, double lon, int capacityPerWeek,
                  long usedThisWeek, String times, String note, LocalDate startsOn, LocalDate endedOn, boolean active,
                  int version) {
    }

    /** What a need is taken for: checked against the need by {@link #offerFor}. */
    record Offer(long id, int capacityPerWeek, Long volunteerPersonId) {
    }

    static final String SELECT = """
            SELECT s.*, ST_Y(s.location) AS lat, ST_X(s.location) AS lon,
                   coalesce(o.name, f.name, CASE WHEN :names THEN vp.name END) AS provider_name,
                   supply_taken_since(s.id, :week_start, :tz) AS used,
                   s.starts_on <= :today AND (s.ended_on IS NULL OR s.ended_on >= :today) AS active
              FROM supply s
              LEFT JOIN micro_organisation o ON o.id = s.organisation_id
              LEFT JOIN facility f ON f.id = s.facility_id
              LEFT JOIN person vp ON vp.id = s.volunteer_person_id
            """;

    private static final String LIST = SELECT + """
             WHERE (CAST(:kind AS text) IS NULL OR s.kind = :kind)
               AND (CAST(:area AS text) IS NULL OR EXISTS (SELECT 1 FROM admin_area a WHERE a.code = :area
                        AND (starts_with(s.area_code, area_code_prefix(a.code, a.level))
                             OR EXISTS (SELECT 1 FROM admin_area sa WHERE sa.code = s.area_code
                                          AND starts_with(a.code, area_code_prefix(sa.code, sa.level))))))
               AND (NOT CAST(:active_only AS boolean) OR (s.starts_on <= :today AND (s.ended_on IS NULL OR s.ended_on >= :today)))
             ORDER BY s.kind, s.area_code, s.id
            """;

    private static final String PROVIDER_PLACE = """
            SELECT CASE :provider_kind
                     WHEN 'volunteer' THEN (SELECT v.home FROM volunteer v WHERE v.person_id = :volunteer)
                     WHEN 'social_work_station' THEN (SELECT f.location FROM facility f
                                                       WHERE f.id = :facility AND f.kind = 'social_work_station')
                     ELSE NULL END AS location,
                   CASE :provider_kind
                     WHEN 'volunteer' THEN EXISTS (SELECT 1 FROM volunteer v WHERE v.person_id = :volunteer)
                     WHEN 'social_work_station' THEN EXISTS (SELECT 1 FROM facility f WHERE f.id = :facility
                                                              AND f.kind = 'social_work_station')
                     ELSE EXISTS (SELECT 1 FROM micro_organisation o WHERE o.id = :organisation) END AS found
            """;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Today today;
    private final String timeZone;

    Supplies(JdbcClient jdbc, TransactionTemplate transactions, Today today, CoverageProperties coverage) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.today = today;
        this.timeZone = coverage.timeZone();
    }

    /** Blocking. */
    Supply publish(NewSupply supply, CaregridUser user) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        if (supply.providerKind() == null || supply.providerKind().isBlank()) {
            faults.add(new ApiException.FieldFault("providerKind", "error.required"));
        }
        Vocabulary.SUPPLY_PROVIDERS.check("providerKind", supply.providerKind(), faults);
        if (supply.kind() == null || supply.kind().isBlank()) {
            faults.add(new ApiException.FieldFault("kind", "error.required"));
        }
        Vocabulary.NEEDS.check("kind", supply.kind(), faults);
        if (supply.areaCode() == null || supply.areaCode().isBlank()) {
            faults.add(new ApiException.FieldFault("areaCode", "error.required"));
        } else if (!supply.areaCode().matches("[0-9]{12}")) {
            faults.add(new ApiException.FieldFault("areaCode", "error.area.code", supply.areaCode()));
        }
        if (supply.capacityPerWeek() == null) {
            faults.add(new ApiException.FieldFault("capacityPerWeek", "error.required"));
        }
        String providerField = providerField(supply.providerKind());
        if (providerField != null && providerId(supply, providerField) == null) {
            faults.add(new ApiException.FieldFault(providerField, "error.supply.providerKind", supply.providerKind(), providerField));
        }
        LatLon.check("location", supply.location(), faults);
        checkCommon(supply.capacityPerWeek(), supply.times(), supply.note(), supply.reason(), faults);
        LocalDate startsOn = supply.startsOn() == null ? today.date() : supply.startsOn();
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        if (ownOnly(user) && !(SupplyProvider.VOLUNTEER.code().equals(supply.providerKind())
                && supply.volunteerPersonId().equals(user.personId()))) {
            throw ApiException.forbidden("error.supply.ownOnly");
        }
        return transactions.execute(status -> {
            ChangeReason.set(jdbc, supply.reason());
            boolean areaWritable = jdbc.sql("SELECT EXISTS (SELECT 1 FROM admin_area WHERE code = :code "
                            + "AND caregrid_served_writable(code))").param("code", supply.areaCode())
                    .query(Boolean.class).single();
            if (!areaWritable) {
                throw ApiException.invalid("areaCode", "error.supply.area", supply.areaCode());
            }
            Long organisation = SupplyProvider.VOLUNTEER.code().equals(supply.providerKind())
                    || SupplyProvider.SOCIAL_WORK_STATION.code().equals(supply.providerKind()) ? null : supply.organisationId();
            Long facility = SupplyProvider.SOCIAL_WORK_STATION.code().equals(supply.providerKind()) ? supply.facilityId() : null;
            Long volunteer = SupplyProvider.VOLUNTEER.code().equals(supply.providerKind()) ? supply.volunteerPersonId() : null;
            boolean[] found = {false};
            String[] place = {null};
            jdbc.sql(PROVIDER_PLACE).param("provider_kind", supply.providerKind()).param("volunteer", volunteer)
                    .param("facility", facility).param("organisation", organisation)
                    .query(rs -> {
                        found[0] = rs.getBoolean("found");
                        place[0] = rs.getString("location");
                    });
            if (!found[0]) {
                throw ApiException.invalid(providerField, "error.supply.provider", providerId(supply, providerField),
                        supply.providerKind());
            }
            if (supply.location() == null && place[0] == null) {
                throw ApiException.invalid("location", "error.supply.location");
            }
            long id = jdbc.sql("""
                            INSERT INTO supply (provider_kind, organisation_id, facility_id, volunteer_person_id, kind, area_code,
                                                location, capacity_per_week, times, note, starts_on, created_by)
                            VALUES (:provider_kind, :organisation, :facility, :volunteer, :kind, :area,
                                    coalesce(ST_SetSRID(ST_MakePoint(CAST(:lon AS float8), CAST(:lat AS float8)), 4326),
                                             CAST(:place AS geometry)),
                                    :capacity, :times, :note, :starts_on, :by)
                            RETURNING id
                            """)
                    .param("provider_kind", supply.providerKind()).param("organisation", organisation)
                    .param("facility", facility).param("volunteer", volunteer).param("kind", supply.kind())
                    .param("area", supply.areaCode())
                    .param("lat", supply.location() == null ? null : supply.location().lat())
                    .param("lon", supply.location() == null ? null : supply.location().lon())
                    .param("place", place[0]).param("capacity", supply.capacityPerWeek())
                    .param("times", Needs.blankToNull(supply.times())).param("note", Needs.blankToNull(supply.note()))
                    .param("starts_on", startsOn).param("by", user.getUsername())
                    .query(Long.class).single();
            return find(id, user);
        });
    }

    /** Blocking. */
    Supply change(long id, SupplyChange change, Integer version, CaregridUser user) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        checkCommon(change.capacityPerWeek(), change.times(), change.note(), change.reason(), faults);
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        return transactions.execute(status -> {
            ChangeReason.set(jdbc, change.reason());
            Supply current = find(id, user);
            if (ownOnly(user) && !user.personId().equals(current.volunteerPersonId())) {
                throw ApiException.forbidden("error.supply.ownOnly");
            }
            if (change.endedOn() != null && change.endedOn().isBefore(current.startsOn().minusDays(1))) {
                throw ApiException.invalid("endedOn", "error.supply.endedOn", current.startsOn().minusDays(1));
            }
            int updated = jdbc.sql("""
                            UPDATE supply SET capacity_per_week = coalesce(CAST(:capacity AS integer), capacity_per_week),
                                   times = coalesce(:times, times), note = coalesce(:note, note),
                                   ended_on = coalesce(CAST(:ended_on AS date), ended_on)
                             WHERE id = :id AND (CAST(:version AS integer) IS NULL OR version = :version)
                            """)
                    .param("capacity", change.capacityPerWeek()).param("times", Needs.blankToNull(change.times()))
                    .param("note", Needs.blankToNull(change.note())).param("ended_on", change.endedOn())
                    .param("id", id).param("version", version).update();
            if (updated != 1) {
                throw Versions.stale(true, "error.supply.notFound", id);
            }
            return find(id, user);
        });
    }

    /** Blocking. The supplies the caller sees, of {@code kind} and overlapping {@code area} when given. */
    List<Supply> list(String kind, String area, boolean activeOnly, CaregridUser user) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        Vocabulary.NEEDS.check("kind", Needs.blankToNull(kind), faults);
        if (Needs.blankToNull(area) != null && !area.matches("[0-9]{12}")) {
            faults.add(new ApiException.FieldFault("area", "error.area.code", area));
        }
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        return jdbc.sql(LIST).param("names", AccessPolicy.allows(user, Action.READ_NAMES))
                .param("week_start", weekStart()).param("tz", timeZone).param("today", today.date())
                .param("kind", Needs.blankToNull(kind)).param("area", Needs.blankToNull(area))
                .param("active_only", activeOnly)
                .query((rs, n) -> toSupply(rs)).list();
    }

    /** Blocking. */
    Supply find(long id, CaregridUser user) {
        return jdbc.sql(SELECT + " WHERE s.id = :id").param("names", AccessPolicy.allows(user, Action.READ_NAMES))
                .param("week_start", weekStart()).param("tz", timeZone).param("today", today.date()).param("id", id)
                .query((rs, n) -> toSupply(rs)).optional()
                .orElseThrow(() -> ApiException.notFound("error.supply.notFound", id));
    }

    /**
     * The supply a need of {@code kind} for {@code personId} may be taken for, on {@code day}: one the caller
     * sees, of that kind, in force, serving the person's community; else a fault naming {@code supplyId}.
     */
    Offer offerFor(long supplyId, String kind, long personId, LocalDate day) {
        return jdbc.sql("""
                        SELECT s.id, s.kind, s.capacity_per_week, s.volunteer_person_id,
                               s.starts_on <= :day AND (s.ended_on IS NULL OR s.ended_on >= :day) AS active,
                               EXISTS (SELECT 1 FROM person p JOIN admin_area a ON a.code = s.area_code
                                        WHERE p.id = :person AND starts_with(p.area_code, area_code_prefix(a.code, a.level))) AS serves
                          FROM supply s WHERE s.id = :id
                        """).param("id", supplyId).param("day", day).param("person", personId)
                .query((rs, n) -> {
                    if (!rs.getString("kind").equals(kind)) {
                        throw ApiException.invalid("supplyId", "error.need.supplyKind", supplyId, rs.getString("kind"));
                    }
                    if (!rs.getBoolean("active")) {
                        throw ApiException.invalid("supplyId", "error.need.supplyEnded", supplyId);
                    }
                    if (!rs.getBoolean("serves")) {
                        throw ApiException.invalid("supplyId", "error.need.supplyArea", supplyId);
                    }
                    return new Offer(rs.getLong("id"), rs.getInt("capacity_per_week"), (Long) rs.getObject("volunteer_person_id"));
                }).optional()
                .orElseThrow(() -> ApiException.invalid("supplyId", "error.supply.notFound", supplyId));
    }

    /** Blocking. Needs taken for the supply since Monday, whoever's they are. */
    long usedThisWeek(long supplyId) {
        return jdbc.sql("SELECT supply_taken_since(:id, :week_start, :tz)").param("id", supplyId)
                .param("week_start", weekStart()).param("tz", timeZone).query(Long.class).single();
    }

    LocalDate weekStart() {
        return today.date().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    String timeZone() {
        return timeZone;
    }

    private static boolean ownOnly(CaregridUser user) {
        return AccessPolicy.reach(user, Action.KEEP_SUPPLY) == Reach.OWN_KEY_PERSONS;
    }

    private static String providerField(String providerKind) {
        if (providerKind == null) {
            return null;
        }
        return switch (providerKind) {
            case "volunteer" -> "volunteerPersonId";
            case "social_work_station" -> "facilityId";
            case "organisation", "micro_organisation" -> "organisationId";
            default -> null;
        };
    }

    private static Long providerId(NewSupply supply, String field) {
        return switch (field) {
            case "volunteerPersonId" -> supply.volunteerPersonId();
            case "facilityId" -> supply.facilityId();
            default -> supply.organisationId();
        };
    }

    private static void checkCommon(Integer capacity, String times, String note, String reason,
                                    List<ApiException.FieldFault> faults) {
        if (capacity != null && (capacity < 1 || capacity > 1000)) {
            faults.add(new ApiException.FieldFault("capacityPerWeek", "error.supply.capacity"));
        }
        TextInput.check("times", times, 200, faults);
        TextInput.check("note", note, 500, faults);
        TextInput.check("reason", reason, 500, faults);
    }

    static Supply toSupply(ResultSet rs) throws SQLException {
        return new Supply(rs.getLong("id"), rs.getString("provider_kind"), (Long) rs.getObject("organisation_id"),
                (Long) rs.getObject("facility_id"), (Long) rs.getObject("volunteer_person_id"),
                rs.getString("provider_name"), rs.getString("kind"), rs.getString("area_code"), rs.getDouble("lat"),
                rs.getDouble("lon"), rs.getInt("capacity_per_week"), rs.getLong("used"), rs.getString("times"),
                rs.getString("note"), rs.getObject("starts_on", LocalDate.class), rs.getObject("ended_on", LocalDate.class),
                rs.getBoolean("active"), rs.getInt("version"));
    }
}
