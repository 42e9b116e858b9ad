package org.caregrid.server.organisation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.caregrid.server.config.Today;
import org.caregrid.server.history.ChangeReason;
import org.caregrid.server.security.AreaScope;
import org.caregrid.server.security.SqlPredicate;
import org.caregrid.server.web.ApiException;
import org.caregrid.server.web.TextInput;
import org.caregrid.server.web.Versions;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Micro-organisations and social organisations of an area (社区社会组织, 微组织): who they are, where they
 * work (an admin area, perhaps one compound) and whether they are still active. An organisation that
 * stops is marked inactive, never deleted: the needs it took and the services it gave name it. They
 * hold no personal data, so the caller's scope is checked here (the same rule as row-level security,
 * {@code caregrid_place_visible}) rather than by a policy on the table.
 */
@Component
class Organisations {

    record NewOrganisation(String name, String kind, String areaCode, Long compoundId, LocalDate foundedOn, String reason) {
    }

    /** Changes; a field left out (null) stays as it is. {@code active: false} ends the organisation's work. */
    record OrganisationChange(String name, String kind, String areaCode, Long compoundId, LocalDate foundedOn,
                              Boolean active, String reason) {
    }

    record Organisation(long id, String name, String kind, String areaCode, Long compoundId, LocalDate foundedOn,
                        boolean active, int version) {
    }

    private static final String COLUMNS = "id, name, kind, area_code, compound_id, founded_on, active, version";
    private static final LocalDate EARLIEST_FOUNDING = LocalDate.of(1900, 1, 1);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Today today;

    Organisations(JdbcClient jdbc, TransactionTemplate transactions, Today today) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.today = today;
    }

    /** Blocking. */
    Organisation register(NewOrganisation organisation) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        if (organisation.name() == null || organisation.name().isBlank()) {
            faults.add(new ApiException.FieldFault("name", "error.required"));
        }
        if (organisation.areaCode() == null || organisation.areaCode().isBlank()) {
            faults.add(new ApiException.FieldFault("areaCode", "error.required"));
        }
        checkFields(organisation.name(), organisation.kind(), organisation.areaCode(), organisation.foundedOn(),
                organisation.reason(), faults);
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        return transactions.execute(status -> {
            ChangeReason.set(jdbc, organisation.reason());
            requirePlace(organisation.areaCode(), organisation.compoundId());
            return jdbc.sql("INSERT INTO micro_organisation (name, kind, area_code, compound_id, founded_on) "
                            + "VALUES (:name, :kind, :area, :compound, :founded) RETURNING " + COLUMNS)
                    .param("name", organisation.name().trim()).param("kind", blankToNull(organisation.kind()))
                    .param("area", organisation.areaCode()).param("compound", organisation.compoundId())
                    .param("founded", organisation.foundedOn())
                    .query((rs, n) -> toOrganisation(rs)).single();
        });
    }

    /** Blocking. */
    Organisation change(long id, OrganisationChange change, Integer expectedVersion, AreaScope scope) {
        List<ApiException.FieldFault> faults = new ArrayList<>();
        if (change.name() != null && change.name().isBlank()) {
            faults.add(new ApiException.FieldFault("name", "error.required"));
        }
        checkFields(change.name(), change.kind(), change.areaCode(), change.foundedOn(), change.reason(), faults);
        if (!faults.isEmpty()) {
            throw ApiException.invalid(faults);
        }
        return transactions.execute(status -> {
            ChangeReason.set(jdbc, change.reason());
            Organisation current = find(id, scope);
            if (change.areaCode() != null || change.compoundId() != null) {
                requirePlace(change.areaCode() != null ? change.areaCode() : current.areaCode(), change.compoundId());
            }
            return jdbc.sql("""
                            UPDATE micro_organisation SET name = coalesce(:name, name), kind = coalesce(:kind, kind),
                                   area_code = coalesce(:area, area_code), compound_id = coalesce(CAST(:compound AS bigint), compound_id),
                                   founded_on = coalesce(CAST(:founded AS date), founded_on),
                                   active = coalesce(CAST(:active AS boolean), active)
                             WHERE id = :id AND (CAST(:version AS integer) IS NULL OR version = :version)
                            RETURNING\s""" + COLUMNS)
                    .param("id", id).param("version", expectedVersion)
                    .param("name", change.name() == null ? null : change.name().trim())
                    .param("kind", blankToNull(change.kind())).param("area", change.areaCode())
                    .param("compound", change.compoundId()).param("founded", change.foundedOn())
                    .param("active", change.active())
                    .query((rs, n) -> toOrganisation(rs)).optional()
                    .orElseThrow(() -> Versions.stale(true, "error.organisation.notFound", id));
        });
    }

    /** Blocking. The organisations inside the caller's scope, under {@code areaCode} if given, active ones first. */
    List<Organisation> list(String areaCode, AreaScope scope) {
        // no personal data: a grid-scoped user sees the organisations of the grid's community
        SqlPredicate visible = scope.rows("o.area_code", null);
        return jdbc.sql("SELECT " + COLUMNS + " FROM micro_organisation o WHERE " + visible.sql() + " "
                        + "AND (CAST(:area AS text) IS NULL OR EXISTS (SELECT 1 FROM admin_area a WHERE a.code = :area "
                        + "AND starts_with(o.area_code, area_code_prefix(a.code, a.level)))) "
                        + "ORDER BY NOT o.active, o.area_code, o.name, o.id")
                .params(visible.params()).param("area", areaCode == null || areaCode.isBlank() ? null : areaCode)
                .query((rs, n) -> toOrganisation(rs)).list();
    }

    /** Blocking. */
    Organisation find(long id, AreaScope scope) {
        SqlPredicate visible = scope.rows("o.area_code", null);
        return jdbc.sql("SELECT " + COLUMNS + " FROM micro_organisation o WHERE o.id = :id AND " + visible.sql())
                .params(visible.params()).param("id", id).query((rs, n) -> toOrganisation(rs)).optional()
                .orElseThrow(() -> ApiException.notFound("error.organisation.notFound", id));
    }

    /** The area must exist inside the caller's scope, and a compound must lie in it. */
    private void requirePlace(String areaCode, Long compoundId) {
        boolean visible = jdbc.sql("SELECT EXISTS (SELECT 1 FROM admin_area WHERE code = :code "
                        + "AND caregrid_place_visible(code, NULL))")
                .param("code", areaCode).query(Boolean.class).single();
        if (!visible) {
            throw ApiException.notFound("error.area.notFound", areaCode);
        }
        if (compoundId != null) {
            // row-level security hides compounds outside the caller's scope
            boolean inArea = jdbc.sql("""
                            SELECT coalesce(starts_with(c.area_code, area_code_prefix(a.code, a.level)), false)
                              FROM compound c JOIN admin_area a ON a.code = :code WHERE c.id = :id
                            """).param("id", compoundId).param("code", areaCode).query(Boolean.class).optional()
                    .orElseThrow(() -> ApiException.invalid("compoundId", "error.organisation.compound", compoundId));
            if (!inArea) {
                throw ApiException.invalid("compoundId", "error.organisation.compoundElsewhere", compoundId, areaCode);
            }
        }
    }


    private void checkFields(String name, String kind, String areaCode, LocalDate foundedOn, String reason,
                             List<ApiException.FieldFault> faults) {
        TextInput.check("name", name, 200, faults);
        TextInput.check("kind", kind, 50, faults);
        TextInput.check("reason", reason, 500, faults);
        if (areaCode != null && !areaCode.matches("[0-9]{12}")) {
            faults.add(new ApiException.FieldFault("areaCode", "error.area.code", areaCode));
        }
        if (foundedOn != null && (foundedOn.isBefore(EARLIEST_FOUNDING) || foundedOn.isAfter(today.date()))) {
            faults.add(new ApiException.FieldFault("foundedOn", "error.date.range", EARLIEST_FOUNDING, today.date()));
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    private static Organisation toOrganisation(ResultSet rs) throws SQLException {
        return new Organisation(rs.getLong("id"), rs.getString("name"), rs.getString("kind"), rs.getString("area_code"),
                (Long) rs.getObject("compound_id"), rs.getObject("founded_on", LocalDate.class), rs.getBoolean("active"),
                rs.getInt("version"));
    }
}
