package org.caregrid.server.coverage;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.caregrid.server.security.AreaScope;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * "If these candidates were appointed, these gaps close": the appointments are written in a
 * transaction that is always rolled back, and the metrics they touch are measured before and after.
 * The numbers are exactly what the real appointment would give.
 */
@Component
class WhatIf {

    /** One appointment; exactly the id its role needs is set. */
    record Appointment(String role, Long personId, Long buildingId, Long unitId, Long keyPersonId, Long gridId) {
    }

    record Change(String metric, String name, Figures before, Figures after, long gapsClosed) {
    }

    private final JdbcClient jdbc;
    private final CoverageQueries queries;
    private final TransactionTemplate transaction;

    WhatIf(JdbcClient jdbc, CoverageQueries queries, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.queries = queries;
        this.transaction = transaction;
    }

    List<Change> evaluate(List<Appointment> appointments, CoverageArea area, AreaScope scope, LocalDate asOf,
                          Locale locale) {
        Set<Metric> touched = EnumSet.noneOf(Metric.class);
        appointments.forEach(a -> touched.addAll(metricsOf(a.role())));
        return transaction.execute(status -> {
            status.setRollbackOnly();
            List<Figures> before = new ArrayList<>();
            touched.forEach(m -> before.add(queries.summary(m, area, scope, asOf, List.of(), locale).area()));
            for (int i = 0; i < appointments.size(); i++) {
                appoint(appointments.get(i), i, asOf);
            }
            List<Change> changes = new ArrayList<>();
            int index = 0;
            for (Metric m : touched) {
                MetricSummary after = queries.summary(m, area, scope, asOf, List.of(), locale);
                Figures was = before.get(index++);
                changes.add(new Change(m.id(), after.name(), was, after.area(), was.gaps() - after.area().gaps()));
            }
            return changes;
        });
    }

    private static Set<Metric> metricsOf(String role) {
        return switch (role == null ? "" : role) {
            case "building_head" -> EnumSet.of(Metric.BUILDING_HEADS);
            case "unit_head" -> EnumSet.of(Metric.UNIT_HEADS);
            case "responsible" -> EnumSet.of(Metric.RESPONSIBILITY, Metric.RESPONSIBLE_DISTANCE);
            case "reserve" -> EnumSet.of(Metric.RESERVE, Metric.VOLUNTEERS);
            case "delivery_squad" -> EnumSet.of(Metric.DELIVERY_SQUAD, Metric.VOLUNTEERS);
            default -> throw new IllegalArgumentException("appointments: role must be building_head, unit_head, "
                    + "responsible, reserve or delivery_squad; got '" + role + "'");
        };
    }

    private void appoint(Appointment a, int index, LocalDate asOf) {
        String where = "appointments[" + index + "]";
        if (a.personId() == null) {
            throw new IllegalArgumentException(where + ".personId is required");
        }
        String scopeType;
        String column;
        Long target;
        switch (a.role()) {
            case "building_head" -> { scopeType = "building"; column = "scope_building_id"; target = a.buildingId(); }
            case "unit_head" -> { scopeType = "unit"; column = "scope_unit_id"; target = a.unitId(); }
            case "responsible" -> { scopeType = "person"; column = "scope_person_id"; target = a.keyPersonId(); }
            default -> { scopeType = "grid"; column = "scope_grid_id"; target = a.gridId(); }
        }
        if (target == null) {
            throw new IllegalArgumentException(where + ": a " + a.role() + " needs "
                    + switch (scopeType) { case "building" -> "buildingId"; case "unit" -> "unitId";
                        case "person" -> "keyPersonId"; default -> "gridId"; });
        }
        try {
            jdbc.sql("INSERT INTO role_assignment (person_id, role, scope_type, " + column + ", valid_from) "
                            + "VALUES (:person, :role, :scope_type, :target, :as_of)")
                    .param("person", a.personId()).param("role", a.role()).param("scope_type", scopeType)
                    .param("target", target).param("as_of", asOf).update();
        } catch (DataIntegrityViolationException e) {
            throw new IllegalArgumentException(where + ": no such person or place (" + a.role() + " "
                    + a.personId() + " → " + scopeType + " " + target + ")");
        }
    }
}
