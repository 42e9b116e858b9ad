package org.caregrid.server.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

import org.caregrid.server.web.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * A printable volunteer-service certificate (志愿服务证明), A4, in Chinese as it is handed out: the
 * community (from where the volunteer lives), the volunteer, the period, days, hours and households
 * from the service records, a certificate number and the day of issue. The number is derived from the
 * volunteer and the period, so a reprint carries the same number and can be checked against the
 * records. Every value is HTML-escaped. Blocking: call on a JDBC thread.
 */
@Component
class ServiceCertificate {

    private static final String VOLUNTEER = """
            SELECT p.name, p.area_code, a.name AS community, s.name AS street
              FROM volunteer v JOIN person p ON p.id = v.person_id
              LEFT JOIN admin_area a ON a.code = p.area_code
              LEFT JOIN admin_area s ON s.code = a.parent_code
             WHERE v.person_id = :id
            """;

    private static final String TOTALS = """
            SELECT count(DISTINCT service_date)::int AS days, coalesce(sum(minutes), 0)::int AS minutes,
                   coalesce(sum(households), 0)::int AS households
              FROM service_record WHERE volunteer_person_id = :id AND service_date BETWEEN :from AND :to
            """;

    private static final DateTimeFormatter CHINESE_DAY = DateTimeFormatter.ofPattern("yyyy年M月d日");

    record Figures(String name, String community, String street, String number, int days, BigDecimal hours,
                   int households) {
    }

    private final JdbcClient jdbc;

    ServiceCertificate(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The figures of one volunteer's period; 404 for a volunteer the caller does not see (row-level security). */
    Figures figures(long personId, LocalDate from, LocalDate to) {
        record Volunteer(String name, String areaCode, String community, String street) {
        }
        Volunteer v = jdbc.sql(VOLUNTEER).param("id", personId)
                .query((rs, n) -> new Volunteer(rs.getString("name"), rs.getString("area_code"),
                        rs.getString("community"), rs.getString("street")))
                .optional().orElseThrow(() -> ApiException.notFound("error.serviceRecords.volunteer", personId));
        return jdbc.sql(TOTALS).param("id", personId).param("from", from).param("to", to)
                .query((rs, n) -> new Figures(v.name(), v.community(), v.street(),
                        number(v.areaCode(), personId, from, to), rs.getInt("days"),
                        BigDecimal.valueOf(rs.getInt("minutes")).divide(BigDecimal.valueOf(60), 2, RoundingMode.HALF_UP),
                        rs.getInt("households")))
                .single();
    }

    /** 社区代码-志愿者编号-起-止: the same volunteer and period always give the same number. */
    static String number(String areaCode, long personId, LocalDate from, LocalDate to) {
        return (areaCode == null ? "000000000000" : areaCode.trim()) + "-" + personId + "-"
                + from.format(DateTimeFormatter.BASIC_ISO_DATE) + "-" + to.format(DateTimeFormatter.BASIC_ISO_DATE);
    }

    String html(Figures f, LocalDate from, LocalDate to, LocalDate issued) {
        String community = f.community() == null ? "本社区" : f.community();
        String issuer = (f.street() == null ? "" : f.street()) + community;
        StringBuilder h = new StringBuilder(2048);
        h.append("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>志愿服务证明</title><style>")
                .append("@page{size:A4;margin:25mm 20mm}")
                .append("body{font-family:serif;font-size:14pt;line-height:2;max-width:170mm;margin:2em auto}")
                .append("h1{text-align:center;letter-spacing:.5em;font-size:24pt}.no{text-align:right;font-size:11pt}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #333;padding:2px 12px}")
                .append(".issuer{text-align:right;margin-top:3em}@media print{body{margin:0}}")
                .append("</style></head><body>");
        h.append("<p class=\"no\">证明编号：<span id=\"number\">").append(esc(f.number())).append("</span></p>");
        h.append("<h1>志愿服务证明</h1>");
        h.append("<p>兹证明 <strong id=\"name\">").append(esc(f.name())).append("</strong> 同志于 ")
                .append(esc(from.format(CHINESE_DAY))).append("至").append(esc(to.format(CHINESE_DAY)))
                .append("在").append(esc(community)).append("参加志愿服务，服务 <span id=\"days\">")
                .append(f.days()).append("</span> 天，累计 <span id=\"hours\">").append(esc(f.hours().toPlainString()))
                .append("</span> 小时，服务 <span id=\"households\">").append(f.households()).append("</span> 户。</p>");
        h.append("<table><tr><th>服务期间</th><td>").append(esc(from.toString())).append(" — ").append(esc(to.toString()))
                .append("</td></tr><tr><th>服务天数</th><td>").append(f.days())
                .append("</td></tr><tr><th>服务时长（小时）</th><td>").append(esc(f.hours().toPlainString()))
                .append("</td></tr><tr><th>服务户数</th><td>").append(f.households()).append("</td></tr></table>");
        h.append("<p>特此证明。</p>");
        h.append("<p class=\"issuer\"><span id=\"issuer\">").append(esc(issuer)).append("</span>（盖章）<br><span id=\"issued\">")
                .append(esc(issued.format(CHINESE_DAY))).append("</span></p>");
        h.append("</body></html>");
        return h.toString();
    }

    private static String esc(String value) {
        return HtmlUtils.htmlEscape(value == null ? "" : value, "UTF-8");
    }
}
