package org.caregrid.server.coverage;

import org.caregrid.server.web.Language;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.caregrid.server.security.AreaScope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Recomputes the coverage metrics from the source tables and compares them with the maintained state,
 * item by item (which implies every count), and figure by figure at the levels asked for. Blocking.
 */
@Component
public class CoverageVerifier {

    /** One disagreement: what the full computation says and what the maintained state says ("-" for no item). */
    public record Difference(String metric, LocalDate day, String what, String full, String maintained) {
        @Override
        public String toString() {
            return metric + " on " + day + ", " + what + ": full " + full + ", maintained " + maintained;
        }
    }

    private static final String COMPARE_ITEMS = """
            WITH f AS (SELECT * FROM (%s) x WHERE coalesce(x.area_code, '') LIKE :area_prefix),
                 m AS (SELECT * FROM (%s) y WHERE coalesce(y.area_code, '') LIKE :area_prefix)
            SELECT coalesce(f.item_id, m.item_id)::text AS item,
                   CASE WHEN f.item_id IS NOT NULL THEN concat('grid=', f.grid_id, ' area=', f.area_code, ' building=', f.building_id, ' ok=', f.ok,
                                                              ' value=', f.value, ' estimate=', f.estimate) END AS full_row,
                   CASE WHEN m.item_id IS NOT NULL THEN concat('grid=', m.grid_id, ' area=', m.area_code, ' building=', m.building_id, ' ok=', m.ok,
                                                              ' value=', m.value, ' estimate=', m.estimate) END AS maintained_row
              FROM f FULL JOIN m ON m.item_id = f.item_id
             WHERE f.item_id IS NULL OR m.item_id IS NULL
                OR (f.grid_id, f.area_code, f.building_id, f.ok, f.estimate)
                   IS DISTINCT FROM (m.grid_id, m.area_code, m.building_id, m.ok, m.estimate)
                OR (f.value IS NULL) <> (m.value IS NULL)
                OR abs(f.value - m.value) > 1e-9 * greatest(1, abs(f.value))
             ORDER BY 1
             LIMIT :limit
            """;

    private final JdbcClient jdbc;
    private final CoverageQueries queries;

    CoverageVerifier(JdbcClient jdbc, CoverageQueries queries) {
        this.jdbc = jdbc;
        this.queries = queries;
    }

    /**
     * Items of every maintained metric in the area (a code prefix; "" for everything) on each day.
     *
     * @param limit at most this many differences per metric and day
     */
    public List<Difference> items(String areaPrefix, List<LocalDate> days, int limit) {
        List<Difference> differences = new ArrayList<>();
        for (LocalDate day : days) {
            Map<String, Object> params = queries.parameters(day);
            params.put("area_prefix", areaPrefix + "%");
            params.put("limit", limit);
            for (Metric metric : Metric.values()) {
                if (metric.maintainedSql() == null) {
                    continue;
                }
                String sql = COMPARE_ITEMS.formatted(metric.itemsSql(Metric.Computation.FULL),
                        metric.itemsSql(Metric.Computation.MAINTAINED));
                jdbc.sql(sql).params(params).query((rs, n) -> new Difference(metric.id(), day, metric.itemKind() + " "
                                + rs.getString("item"), Objects.toString(rs.getString("full_row"), "-"),
                                Objects.toString(rs.getString("maintained_row"), "-")))
                        .list().forEach(differences::add);
            }
        }
        return differences;
    }

    /** The summaries of {@code area} and of every place below it, both ways, figure by figure. */
    public List<Difference> figures(CoverageArea area, List<LocalDate> days) {
        List<Difference> differences = new ArrayList<>();
        List<CoverageArea> places = new ArrayList<>(List.of(area));
        for (int i = 0; i < places.size(); i++) {
            CoverageArea place = places.get(i);
            List<Figures> children = queries.childPlaces(place, AreaScope.everywhere());
            for (LocalDate day : days) {
                // what the API serves: all metrics at once
                List<MetricSummary> served = queries.summaries(place, AreaScope.everywhere(), day, children, Language.DEFAULT);
                for (Metric metric : Metric.values()) {
                    MetricSummary full = queries.summary(metric, place, AreaScope.everywhere(), day, children,
                            Language.DEFAULT, Metric.Computation.FULL);
                    MetricSummary maintained = served.get(metric.ordinal());
                    compare(metric, day, full.area(), maintained.area(), differences);
                    for (int c = 0; c < children.size(); c++) {
                        compare(metric, day, full.children().get(c), maintained.children().get(c), differences);
                    }
                    if (!Objects.equals(full.computedAt(), maintained.computedAt())) {
                        differences.add(new Difference(metric.id(), day, place.code() + " computedAt",
                                String.valueOf(full.computedAt()), String.valueOf(maintained.computedAt())));
                    }
                }
            }
            for (Figures child : children) {
                places.add(queries.findArea(child.gridId() != null ? null : child.code(), child.gridId()).orElseThrow());
            }
        }
        return differences;
    }

    private static void compare(Metric metric, LocalDate day, Figures full, Figures maintained, List<Difference> out) {
        if (full.total() != maintained.total() || full.ok() != maintained.ok() || full.estimated() != maintained.estimated()) {
            out.add(new Difference(metric.id(), day, full.level() + " " + full.code(), counts(full), counts(maintained)));
        }
    }

    private static String counts(Figures f) {
        return f.ok() + "/" + f.total() + " (" + f.estimated() + " estimated)";
    }
}
