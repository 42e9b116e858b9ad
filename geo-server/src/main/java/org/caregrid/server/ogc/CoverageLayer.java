package org.caregrid.server.ogc;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.caregrid.server.config.Today;
import org.caregrid.server.coverage.CoverageProperties;
import org.caregrid.server.coverage.CoverageQueries;
import org.caregrid.server.coverage.Figures;
import org.caregrid.server.coverage.Metric;
import org.caregrid.server.security.AreaScope;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rows of the coverage layer: one per admin area and grid that holds items in the scope, with every
 * metric's rate, gaps, total and target (the planner's choropleth), computed by {@link CoverageQueries}.
 */
@Component
class CoverageLayer {

    private final CoverageQueries queries;
    private final CoverageProperties properties;
    private final JsonMapper json;
    private final DataGeneration generation;
    private final Today today;
    /** The rows of each scope for a minute: every tile of the layer needs them, and they take 13 roll-ups. */
    private final Map<String, Computed> recent = new java.util.concurrent.ConcurrentHashMap<>();

    private record Computed(String rows, long at) {
    }

    CoverageLayer(CoverageQueries queries, CoverageProperties properties, JsonMapper json, DataGeneration generation,
                  Today today) {
        this.generation = generation;
        this.today = today;
        this.queries = queries;
        this.properties = properties;
        this.json = json;
    }

    /** The rows as a JSON array for {@code jsonb_to_recordset}: id, level, code, name, grid_id, figures. */
    String rowsJson(AreaScope scope) {
        // a write since they were computed makes them stale at once; the minute covers only the calendar
        String key = OgcAccess.scopeKey(scope) + "|" + generation.now();
        Computed known = recent.get(key);
        if (known != null && System.nanoTime() - known.at() < 60_000_000_000L) {
            return known.rows();
        }
        String rows = compute(scope);
        recent.keySet().removeIf(k -> k.startsWith(OgcAccess.scopeKey(scope) + "|"));
        recent.put(key, new Computed(rows, System.nanoTime()));
        return rows;
    }

    void forget() {
        recent.clear();
    }

    private String compute(AreaScope scope) {
        LocalDate day = today.date();
        Map<String, Map<String, Object>> places = new LinkedHashMap<>();
        List<Metric> metrics = List.of(Metric.values());
        for (Metric metric : metrics) {
            for (Figures f : queries.everyPlace(metric, scope, day)) {
                String id = f.gridId() != null ? "grid-" + f.gridId() : f.level() + "-" + f.code();
                Map<String, Object> place = places.computeIfAbsent(id, key -> row(key, f, metrics));
                @SuppressWarnings("unchecked")
                Map<String, Object> figures = (Map<String, Object>) place.get("figures");
                put(figures, metric, f.rate(), f.gaps(), f.total(), f.target());
            }
        }
        return json.writeValueAsString(new ArrayList<>(places.values()));
    }

    private Map<String, Object> row(String id, Figures f, List<Metric> metrics) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("level", f.level());
        row.put("code", f.code());
        row.put("name", f.name());
        row.put("grid_id", f.gridId());
        Map<String, Object> figures = new LinkedHashMap<>();
        // every metric on every place, so that all features share one schema (GIS clients read it from the first)
        for (Metric m : metrics) {
            put(figures, m, null, 0, 0, properties.rateTarget(m));
        }
        row.put("figures", figures);
        return row;
    }

    private static void put(Map<String, Object> figures, Metric metric, Double rate, long gaps, long total, double target) {
        String prefix = metric.id().replace('-', '_');
        figures.put(prefix + "_rate", rate);
        figures.put(prefix + "_gaps", gaps);
        figures.put(prefix + "_total", total);
        figures.put(prefix + "_target", target);
    }
}
