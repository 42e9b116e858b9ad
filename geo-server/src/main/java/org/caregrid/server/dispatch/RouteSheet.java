package org.caregrid.server.dispatch;

import org.caregrid.server.web.ApiException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.caregrid.server.coverage.CoverageProperties;
import org.caregrid.server.security.CaregridUser;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * One volunteer's printable route sheet (送药路线单) in Chinese: stops in order with addresses, items
 * and times, and a small inline SVG of the route, so it prints without internet. Every value from
 * the database is HTML-escaped.
 */
@Component
class RouteSheet {

    private static final int MAP_WIDTH = 480;
    private static final int MAP_HEIGHT = 320;

    private static final String ROUTE = """
            SELECT ro.id, ro.profile, ro.distance_m, ro.duration_s, vp.name AS volunteer_name, rp.created_at,
                   rp.parameters ->> 'date' AS plan_date, ST_AsText(ro.geom) AS wkt
              FROM route ro JOIN route_plan rp ON rp.id = ro.plan_id JOIN person vp ON vp.id = ro.assignee_person_id
             WHERE ro.plan_id = :plan AND ro.assignee_person_id = :volunteer
            """;

    private static final String STOPS = """
            SELECT s.seq, s.kind, s.arrival, r.items, r.urgency, r.demand, p.name AS person_name,
                   %s AS address, f.name AS facility_name, f.address AS facility_address,
                   ST_Y(s.location) AS lat, ST_X(s.location) AS lon
              FROM route_stop s
              LEFT JOIN delivery_request r ON r.id = s.delivery_request_id
              LEFT JOIN person p ON p.id = r.key_person_id
              LEFT JOIN unit pu ON pu.id = p.unit_id
              LEFT JOIN building pb ON pb.id = p.building_id
              LEFT JOIN facility f ON f.id = s.facility_id
             WHERE s.route_id = :route
             ORDER BY s.seq
            """.formatted(DispatchController.ADDRESS);

    private record Stop(int seq, String kind, java.sql.Timestamp arrival, String items, String urgency, Integer demand,
                        String personName, String address, String facilityName, String facilityAddress,
                        double lat, double lon) {
    }

    private final JdbcClient jdbc;
    private final PlanReader reader;
    private final ZoneId zone;

    RouteSheet(JdbcClient jdbc, PlanReader reader, CoverageProperties coverage) {
        this.jdbc = jdbc;
        this.reader = reader;
        this.zone = ZoneId.of(coverage.timeZone());
    }

    String html(long planId, long volunteerPersonId, CaregridUser user) {
        reader.geoJson(planId); // the same area check as the plan itself: 404 outside it
        record RouteRow(long id, String profile, double distance, double duration, String volunteer, String date, String wkt) {
        }
        RouteRow route = jdbc.sql(ROUTE).param("plan", planId).param("volunteer", volunteerPersonId)
                .query((rs, n) -> new RouteRow(rs.getLong("id"), rs.getString("profile"), rs.getDouble("distance_m"),
                        rs.getDouble("duration_s"), rs.getString("volunteer_name"), rs.getString("plan_date"),
                        rs.getString("wkt")))
                .optional().orElseThrow(() -> ApiException.notFound("error.dispatch.noRoute", volunteerPersonId, planId));
        List<Stop> stops = jdbc.sql(STOPS).param("route", route.id())
                .query((rs, n) -> new Stop(rs.getInt("seq"), rs.getString("kind"), rs.getTimestamp("arrival"),
                        rs.getString("items"), rs.getString("urgency"), (Integer) rs.getObject("demand"),
                        rs.getString("person_name"), rs.getString("address"), rs.getString("facility_name"),
                        rs.getString("facility_address"), rs.getDouble("lat"), rs.getDouble("lon")))
                .list();
        DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(zone);
        StringBuilder h = new StringBuilder(4096);
        h.append("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>送药路线单</title><style>")
                .append("body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;width:100%}")
                .append("td,th{border:1px solid #999;padding:4px 6px;text-align:left}.urgent{font-weight:bold;color:#b00}")
                .append("@media print{a{display:none}}</style></head><body>");
        h.append("<h1>送药路线单</h1><p>方案 ").append(planId).append(" · 日期 ").append(esc(route.date()))
                .append(" · 志愿者 ").append(esc(route.volunteer())).append(" · 出行方式 ")
                .append(esc(profileName(route.profile()))).append("</p>");
        long deliveries = stops.stream().filter(s -> s.kind().equals("delivery")).count();
        h.append("<p>送达 ").append(deliveries).append(" 户 · 路程 ")
                .append(String.format(Locale.ROOT, "%.1f", route.distance() / 1000)).append(" 公里 · 用时约 ")
                .append(Math.round(route.duration() / 60)).append(" 分钟</p>");
        h.append(svg(route.wkt(), stops));
        h.append("<table><thead><tr><th>序号</th><th>预计到达</th><th>事项</th><th>地点</th><th>物品</th><th>签收</th></tr></thead><tbody>");
        int number = 0;
        for (Stop s : stops) {
            boolean delivery = s.kind().equals("delivery");
            h.append("<tr").append("urgent".equals(s.urgency()) && delivery ? " class=\"urgent\"" : "").append("><td>")
                    .append(delivery ? Integer.toString(++number) : "").append("</td><td>")
                    .append(s.arrival() == null ? "" : hhmm.format(s.arrival().toInstant())).append("</td><td>")
                    .append(esc(kindName(s.kind(), s.urgency()))).append("</td><td>");
            if (delivery) {
                h.append(esc(s.personName())).append("<br>").append(esc(s.address()));
            } else if (s.facilityName() != null) {
                h.append(esc(s.facilityName())).append(s.facilityAddress() == null ? "" : "<br>" + esc(s.facilityAddress()));
            } else {
                h.append("志愿者住处");
            }
            h.append("</td><td>").append(delivery ? esc(s.items()) + " ×" + s.demand() : "").append("</td><td>")
                    .append(delivery ? "&nbsp;" : "").append("</td></tr>");
        }
        h.append("</tbody></table></body></html>");
        return h.toString();
    }

    /** The route line and numbered stops, projected onto a small box (equirectangular, scaled by cos lat). */
    private static String svg(String wkt, List<Stop> stops) {
        List<double[]> line = new ArrayList<>();
        if (wkt != null && wkt.startsWith("LINESTRING")) {
            for (String pair : wkt.substring(wkt.indexOf('(') + 1, wkt.lastIndexOf(')')).split(",")) {
                String[] xy = pair.trim().split("\\s+");
                line.add(new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])});
            }
        }
        List<double[]> all = new ArrayList<>(line);
        stops.forEach(s -> all.add(new double[] {s.lon(), s.lat()}));
        if (all.isEmpty()) {
            return "";
        }
        double minX = all.stream().mapToDouble(p -> p[0]).min().orElseThrow();
        double maxX = all.stream().mapToDouble(p -> p[0]).max().orElseThrow();
        double minY = all.stream().mapToDouble(p -> p[1]).min().orElseThrow();
        double maxY = all.stream().mapToDouble(p -> p[1]).max().orElseThrow();
        double k = Math.cos(Math.toRadians((minY + maxY) / 2));
        double w = Math.max((maxX - minX) * k, 1e-6);
        double hgt = Math.max(maxY - minY, 1e-6);
        double scale = Math.min((MAP_WIDTH - 40) / w, (MAP_HEIGHT - 40) / hgt);
        java.util.function.Function<double[], String> xy = p -> String.format(Locale.ROOT, "%.1f,%.1f",
                20 + (p[0] - minX) * k * scale, MAP_HEIGHT - 20 - (p[1] - minY) * scale);
        StringBuilder s = new StringBuilder();
        s.append("<svg width=\"").append(MAP_WIDTH).append("\" height=\"")
                .append(MAP_HEIGHT).append("\" role=\"img\" aria-label=\"路线图\" style=\"border:1px solid #999\">");
        if (line.size() >= 2) {
            s.append("<polyline fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"3\" points=\"");
            line.forEach(p -> s.append(xy.apply(p)).append(' '));
            s.append("\"/>");
        }
        int number = 0;
        for (Stop stop : stops) {
            String[] c = xy.apply(new double[] {stop.lon(), stop.lat()}).split(",");
            String label = switch (stop.kind()) {
                case "delivery" -> Integer.toString(++number);
                case "pickup" -> "药";
                case "start" -> "起";
                default -> "";
            };
            if (label.isEmpty()) {
                continue;
            }
            s.append("<circle cx=\"").append(c[0]).append("\" cy=\"").append(c[1])
                    .append("\" r=\"9\" fill=\"").append(stop.kind().equals("pickup") ? "#2e7d32" : "#fff")
                    .append("\" stroke=\"#333\"/><text x=\"").append(c[0]).append("\" y=\"").append(c[1])
                    .append("\" dy=\"4\" font-size=\"11\" text-anchor=\"middle\" fill=\"")
                    .append(stop.kind().equals("pickup") ? "#fff" : "#000").append("\">").append(label).append("</text>");
        }
        return s.append("</svg>").toString();
    }

    private static String kindName(String kind, String urgency) {
        return switch (kind) {
            case "start" -> "出发";
            case "pickup" -> "取药";
            case "delivery" -> "urgent".equals(urgency) ? "送药（加急）" : "送药";
            case "end" -> "返回";
            default -> kind;
        };
    }

    private static String profileName(String profile) {
        return switch (profile) {
            case "foot" -> "步行";
            case "bike" -> "骑行";
            case "car" -> "驾车";
            default -> profile;
        };
    }

    private static String esc(String text) {
        return text == null ? "" : HtmlUtils.htmlEscape(text, "UTF-8");
    }
}
