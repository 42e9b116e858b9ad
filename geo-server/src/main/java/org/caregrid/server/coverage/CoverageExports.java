package org.caregrid.server.coverage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.caregrid.server.web.Downloads;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Coverage reports as CSV (UTF-8 with BOM, for Excel), XLSX (a sheet per metric) and GeoJSON (for choropleths). */
@Component
class CoverageExports {

    private static final List<String> SUMMARY_HEADER = List.of(
            "指标", "指标代码", "层级", "地区代码", "网格编号", "名称", "总数", "达标数", "缺口数", "达标率", "目标", "测算方式");
    private static final List<String> LIST_HEADER = List.of(
            "编号", "名称", "位置", "网格", "是否达标", "数值", "估算", "类别", "风险等级");

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final MetricLabels labels;

    CoverageExports(JdbcClient jdbc, JsonMapper json, MetricLabels labels) {
        this.jdbc = jdbc;
        this.json = json;
        this.labels = labels;
    }

    List<List<String>> summaryRows(List<MetricSummary> metrics) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(SUMMARY_HEADER);
        for (MetricSummary m : metrics) {
            List<Figures> places = new ArrayList<>();
            places.add(m.area());
            places.addAll(m.children());
            for (Figures f : places) {
                rows.add(List.of(m.name(), m.id(), f.level(), nullToEmpty(f.code()),
                        f.gridId() == null ? "" : f.gridId().toString(), nullToEmpty(f.name()),
                        Long.toString(f.total()), Long.toString(f.ok()), Long.toString(f.gaps()),
                        f.rate() == null ? "" : String.format("%.4f", f.rate()),
                        String.format("%.4f", m.target()), m.source()));
            }
        }
        return rows;
    }

    List<List<String>> listRows(Metric metric, DrillDown.Page page) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(LIST_HEADER);
        for (DrillDown.Item i : page.items()) {
            rows.add(List.of(i.id(), nullToEmpty(i.name()), nullToEmpty(i.place()), nullToEmpty(i.grid()),
                    i.ok() ? "是" : "否", i.value() == null ? "" : String.format("%.2f", i.value()),
                    i.estimate() ? "是" : "否", i.categories() == null ? "" : String.join(";", i.categories()),
                    nullToEmpty(i.riskLevel())));
        }
        return rows;
    }

    ResponseEntity<byte[]> csv(List<List<String>> rows, String fileName) {
        return Downloads.csv(rows, fileName);
    }

    ResponseEntity<byte[]> summaryWorkbook(CoverageArea place, LocalDate day, List<MetricSummary> metrics) {
        try (XSSFWorkbook book = new XSSFWorkbook()) {
            for (MetricSummary m : metrics) {
                Sheet sheet = book.createSheet(m.name());
                writeRow(sheet, 0, List.of(m.name(), "目标 " + String.format("%.0f%%", m.target() * 100),
                        m.itemTarget(), "日期 " + day, place.name()));
                List<List<String>> rows = summaryRows(List.of(m));
                for (int r = 0; r < rows.size(); r++) {
                    writeRow(sheet, r + 2, rows.get(r));
                }
            }
            return Downloads.xlsx(book, "coverage-" + place.code() + "-" + day + ".xlsx");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ResponseEntity<byte[]> listWorkbook(Metric metric, CoverageArea place, LocalDate day, DrillDown.Page page, Locale locale) {
        try (XSSFWorkbook book = new XSSFWorkbook()) {
            String name = labels.name(metric, locale);
            Sheet sheet = book.createSheet(name);
            writeRow(sheet, 0, List.of(name, labels.itemTarget(metric, locale), "日期 " + day, place.name(),
                    "共 " + page.total() + " 条"));
            List<List<String>> rows = listRows(metric, page);
            for (int r = 0; r < rows.size(); r++) {
                writeRow(sheet, r + 2, rows.get(r));
            }
            return Downloads.xlsx(book, metric.id() + "-" + place.code() + "-" + day + ".xlsx");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The places one level down (or the place itself when it has none) with every metric's figures
     * as properties: {@code <metric>Rate}, {@code Gaps}, {@code Total}, {@code Target}, the metric id in camelCase
     * ({@code buildingHeadsRate}).
     */
    /**
     * The places of a summary as features, and the summary itself as the collection's foreign member
     * {@code summary} (RFC 7946 §6.1; GIS clients ignore it), so that the planner's map and table come
     * from one computation instead of two.
     */
    ResponseEntity<String> summaryGeoJson(CoverageController.Summary summary) {
        List<MetricSummary> metrics = summary.metrics();
        List<Figures> places = metrics.isEmpty() ? List.of() : metrics.get(0).children().isEmpty()
                ? List.of(metrics.get(0).area()) : metrics.get(0).children();
        Map<String, String> geometries = geometries(places);
        ObjectNode collection = json.createObjectNode().put("type", "FeatureCollection");
        ArrayNode features = collection.putArray("features");
        for (Figures p : places) {
            ObjectNode feature = features.addObject().put("type", "Feature");
            String geometry = geometries.get(key(p));
            feature.set("geometry", geometry == null ? null : json.readTree(geometry));
            ObjectNode props = feature.putObject("properties")
                    .put("level", p.level()).put("code", p.code()).put("name", p.name());
            if (p.gridId() != null) {
                props.put("gridId", p.gridId());
            }
            for (MetricSummary m : metrics) {
                Figures f = m.area().level().equals(p.level()) ? m.area()
                        : m.children().stream().filter(c -> key(c).equals(key(p))).findFirst().orElse(null);
                if (f == null) {
                    continue;
                }
                String prefix = propertyPrefix(m.id());
                props.put(prefix + "Total", f.total()).put(prefix + "Gaps", f.gaps()).put(prefix + "Target", m.target());
                if (f.rate() != null) {
                    props.put(prefix + "Rate", f.rate());
                } else {
                    props.putNull(prefix + "Rate");
                }
            }
        }
        collection.set("summary", json.valueToTree(summary));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/geo+json"))
                .body(json.writeValueAsString(collection));
    }

    /** building-heads → buildingHeads: flat camelCase properties, which QGIS can style a layer by. */
    static String propertyPrefix(String metricId) {
        return java.util.regex.Pattern.compile("-([a-z])").matcher(metricId).replaceAll(m -> m.group(1).toUpperCase());
    }

    ResponseEntity<String> listGeoJson(DrillDown.Page page) {
        ObjectNode collection = json.createObjectNode().put("type", "FeatureCollection");
        ArrayNode features = collection.putArray("features");
        for (DrillDown.Item i : page.items()) {
            ObjectNode feature = features.addObject().put("type", "Feature");
            feature.set("geometry", i.geometry() == null ? null : json.readTree(i.geometry()));
            JsonNode props = json.valueToTree(i);
            ((ObjectNode) props).remove("geometry");
            feature.set("properties", props);
        }
        collection.put("total", page.total());
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/geo+json"))
                .body(json.writeValueAsString(collection));
    }

    private Map<String, String> geometries(List<Figures> places) {
        String[] codes = places.stream().filter(p -> p.gridId() == null).map(Figures::code).toArray(String[]::new);
        Long[] gridIds = places.stream().map(Figures::gridId).filter(id -> id != null).toArray(Long[]::new);
        record Shape(String key, String geometry) {
        }
        return jdbc.sql("""
                        SELECT 'a' || code AS key, ST_AsGeoJSON(geom, 6) AS geometry FROM admin_area WHERE code = ANY (CAST(:codes AS text[]))
                        UNION ALL
                        SELECT 'g' || id, ST_AsGeoJSON(geom, 6) FROM grid WHERE id = ANY (CAST(:grids AS bigint[]))
                        """)
                .param("codes", codes).param("grids", gridIds)
                .query((rs, n) -> new Shape(rs.getString(1), rs.getString(2))).list().stream()
                .filter(s -> s.geometry() != null)
                .collect(Collectors.toMap(Shape::key, Shape::geometry, (a, b) -> a));
    }

    private static String key(Figures f) {
        return f.gridId() != null ? "g" + f.gridId() : "a" + f.code();
    }

    private static void writeRow(Sheet sheet, int index, List<String> values) {
        Row row = sheet.createRow(index);
        for (int c = 0; c < values.size(); c++) {
            row.createCell(c).setCellValue(values.get(c));
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

}
