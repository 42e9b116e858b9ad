package org.caregrid.server.coverage;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.ObjLongConsumer;
import java.util.stream.Collectors;

import org.apache.poi.ss.SpreadsheetVersion;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.caregrid.server.db.Db;
import org.caregrid.server.security.AreaScope;
import org.caregrid.server.security.SqlPredicate;
import org.caregrid.server.web.ApiException;
import org.caregrid.server.web.Downloads;
import org.caregrid.server.web.Language;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Coverage reports as CSV (UTF-8 with BOM, for Excel), XLSX (a sheet per metric) and GeoJSON (for choropleths). */
@Component
public class CoverageExports {

    private static final List<String> SUMMARY_HEADER = List.of(
            "指标", "指标代码", "层级", "地区代码", "网格编号", "名称", "总数", "达标数", "缺口数", "达标率", "目标", "测算方式");
    private static final List<String> LIST_HEADER = List.of(
            "编号", "名称", "位置", "网格", "是否达标", "数值", "估算", "类别", "风险等级");
    private static final List<String> BUILDINGS_HEADER = List.of(
            "编号", "名称", "地址", "网格", "条目数", "达标数", "缺口数");

    /** Names written per audit row, and rows held until their audit is written. */
    static final int AUDIT_BATCH = 1000;

    /** Exports sent at once, of the pool's 10 connections. */
    static final int EXPORTS_AT_ONCE = 4;

    /** Rows a streaming workbook keeps in memory. */
    private static final int WORKBOOK_WINDOW = 100;

    // package-private: tests take every permit to see the refusal
    final Semaphore exportsSent = new Semaphore(EXPORTS_AT_ONCE);
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

    private static List<String> listRow(DrillDown.Item i) {
        return List.of(i.id(), nullToEmpty(i.name()), nullToEmpty(i.place()), nullToEmpty(i.grid()),
                i.ok() ? "是" : "否", i.value() == null ? "" : String.format("%.2f", i.value()),
                i.estimate() ? "是" : "否", i.categories() == null ? "" : String.join(";", i.categories()),
                nullToEmpty(i.riskLevel()));
    }

    private static List<String> buildingRow(DrillDown.BuildingRow b) {
        return List.of(Long.toString(b.id()), nullToEmpty(b.name()), nullToEmpty(b.address()), nullToEmpty(b.grid()),
                Long.toString(b.items()), Long.toString(b.ok()), Long.toString(b.gaps()));
    }

    /** Feeds an export its rows (cells as text), each with the length of the whole list. */
    @FunctionalInterface
    interface Rows {
        void each(ObjLongConsumer<List<String>> row);
    }

    /**
     * The whole list behind a figure as CSV or XLSX, written while it is sent (see {@link Db#streamed}).
     * {@code items} reads the list from a cursor; {@code named} is handed the ids of each batch of up to
     * {@link #AUDIT_BATCH} items before they are written (the audit of the names in them), so no name leaves
     * unaudited and the rows held meanwhile stay few.
     */
    <T> Mono<T> wholeList(ServerWebExchange exchange, ExportFormat format, Metric metric, CoverageArea place, LocalDate day,
                          Consumer<ObjLongConsumer<DrillDown.Item>> items, Consumer<List<Long>> named) {
        Rows rows = row -> {
            List<DrillDown.Item> batch = new ArrayList<>(AUDIT_BATCH);
            long[] total = {0};
            Runnable flush = () -> {
                named.accept(batch.stream().map(i -> Long.valueOf(i.id())).toList());
                batch.forEach(i -> row.accept(listRow(i), total[0]));
                batch.clear();
            };
            items.accept((item, length) -> {
                total[0] = length;
                batch.add(item);
                if (batch.size() == AUDIT_BATCH) {
                    flush.run();
                }
            });
            if (!batch.isEmpty()) {
                flush.run();
            }
        };
        Locale locale = Language.of(exchange);
        String name = labels.name(metric, locale);
        return file(exchange, format, metric.id() + "-" + place.code() + "-" + day, name, LIST_HEADER,
                total -> List.of(name, labels.itemTarget(metric, locale), "日期 " + day, place.name(), "共 " + total + " 条"),
                rows);
    }

    /** The buildings behind a figure, all of them, as CSV or XLSX written while it is sent: counts, no names. */
    <T> Mono<T> wholeBuildingList(ServerWebExchange exchange, ExportFormat format, Metric metric, CoverageArea place,
                                  LocalDate day, Consumer<ObjLongConsumer<DrillDown.BuildingRow>> buildings) {
        Locale locale = Language.of(exchange);
        String name = labels.name(metric, locale);
        return file(exchange, format, metric.id() + "-buildings-" + place.code() + "-" + day, name, BUILDINGS_HEADER,
                total -> List.of(name, labels.itemTarget(metric, locale), "日期 " + day, place.name(), "共 " + total + " 栋"),
                row -> buildings.accept((building, total) -> row.accept(buildingRow(building), total)));
    }

    private <T> Mono<T> file(ServerWebExchange exchange, ExportFormat format, String fileName, String sheetName,
                             List<String> header, LongFunction<List<String>> title, Rows rows) {
        return switch (format) {
            case CSV -> Downloads.send(exchange, Downloads.CSV_TYPE, fileName + ".csv",
                    oneOfFew(Db.streamed(out -> writeCsv(out, header, rows))));
            case XLSX -> Downloads.send(exchange, Downloads.XLSX_TYPE, fileName + ".xlsx",
                    oneOfFew(Db.streamed(out -> writeWorkbook(out, sheetName, title, header, rows))));
            default -> throw new IllegalArgumentException(format + " is a page, not a file of the whole list");
        };
    }

    /**
     * An export holds a pooled connection for as long as its client takes to download it: at most
     * {@link #EXPORTS_AT_ONCE} at a time, so that slow downloads never take the connections every other request
     * needs; one more is told to come back (503) before anything is sent.
     */
    private Flux<DataBuffer> oneOfFew(Flux<DataBuffer> body) {
        return Flux.using(() -> {
            if (!exportsSent.tryAcquire()) {
                throw ApiException.unavailable("error.coverage.exportsBusy", EXPORTS_AT_ONCE);
            }
            return exportsSent;
        }, permits -> body, Semaphore::release);
    }

    /**
     * A whole list's gaps as CSV with names, as the export writes them, for {@code bench coverage}; no audit, as
     * nobody reads them. Answers the rows written.
     */
    public static long benchWholeListCsv(DrillDown drillDown, OutputStream out, Metric metric, CoverageArea area,
                                         AreaScope scope, LocalDate day) throws IOException {
        long[] written = {0};
        writeCsv(out, LIST_HEADER, row -> drillDown.eachItem(metric, area, scope, SqlPredicate.TRUE, day,
                DrillDown.Status.GAP, true, (item, total) -> {
                    row.accept(listRow(item), total);
                    written[0]++;
                }));
        return written[0];
    }

    private static void writeCsv(OutputStream out, List<String> header, Rows rows) throws IOException {
        // the stream under it hands on chunks; this writer only turns text into bytes
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        writer.write(Downloads.CSV_BOM);
        writer.write(Downloads.csvLine(header));
        rows.each((cells, total) -> {
            try {
                writer.write(Downloads.csvLine(cells));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        writer.flush();
    }

    /**
     * A streaming workbook: POI keeps {@link #WORKBOOK_WINDOW} rows in memory and the rest in temporary files,
     * which closing it deletes. The title (with the list's length, known from the first row) above the header;
     * a list longer than a sheet goes on in a second sheet, headed again.
     */
    private static void writeWorkbook(OutputStream out, String sheetName, LongFunction<List<String>> title,
                                      List<String> header, Rows rows) throws IOException {
        try (SXSSFWorkbook book = new SXSSFWorkbook(WORKBOOK_WINDOW)) {
            book.setCompressTempFiles(true);
            Sheet[] sheet = {book.createSheet(sheetName)};
            int[] next = {0};
            rows.each((cells, total) -> {
                if (next[0] == 0) {
                    writeRow(sheet[0], 0, title.apply(total));
                    writeRow(sheet[0], 2, header);
                    next[0] = 3;
                } else if (next[0] == SpreadsheetVersion.EXCEL2007.getMaxRows()) {
                    sheet[0] = book.createSheet(sheetName + " (" + (book.getNumberOfSheets() + 1) + ")");
                    writeRow(sheet[0], 0, header);
                    next[0] = 1;
                }
                writeRow(sheet[0], next[0]++, cells);
            });
            if (next[0] == 0) {
                writeRow(sheet[0], 0, title.apply(0));
                writeRow(sheet[0], 2, header);
            }
            book.write(out);
        }
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
        return features(page.items(), DrillDown.Item::geometry, page.total());
    }

    ResponseEntity<String> buildingsGeoJson(DrillDown.BuildingPage page) {
        return features(page.buildings(), DrillDown.BuildingRow::geometry, page.total());
    }

    /** A page of rows as features, their other fields as properties, and the list's length as {@code total}. */
    private <R> ResponseEntity<String> features(List<R> rows, Function<R, String> geometry, long total) {
        ObjectNode collection = json.createObjectNode().put("type", "FeatureCollection");
        ArrayNode features = collection.putArray("features");
        for (R row : rows) {
            ObjectNode feature = features.addObject().put("type", "Feature");
            String shape = geometry.apply(row);
            feature.set("geometry", shape == null ? null : json.readTree(shape));
            JsonNode props = json.valueToTree(row);
            ((ObjectNode) props).remove("geometry");
            feature.set("properties", props);
        }
        collection.put("total", total);
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
