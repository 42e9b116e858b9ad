package org.caregrid.server.coverage;

import java.util.Map;

/**
 * The place a report is about: an admin area (by its 12-digit code) or one grid.
 *
 * @param level  city, district, street, community or grid
 * @param code   the admin code, or the grid's code
 * @param gridId the grid's id when {@code level} is grid
 * @param prefix the code prefix that the area's items share (for a grid: its community's code)
 */
public record CoverageArea(String level, String code, Long gridId, String name, String prefix) {

    public boolean isGrid() {
        return gridId != null;
    }

    /**
     * The codes of the area's items as the range {@code :area_low} to {@code :area_high}
     * ({@code area_code BETWEEN CAST(:area_low AS bpchar) AND CAST(:area_high AS bpchar)}):
     * under the row-level policies PostgreSQL uses its statistics only for leakproof operators, which the
     * comparisons of a range are and a {@code LIKE} is not. With a {@code LIKE} it guessed 0.5 % of a district's key
     * persons, and sorted them on disk and joined them row by row.
     */
    public Map<String, Object> codeRange() {
        return codeRange(prefix);
    }

    /** The range of codes that start with {@code prefix} (12 digits each; an empty prefix: every code). */
    static Map<String, Object> codeRange(String prefix) {
        return Map.of("area_low", (prefix + "000000000000").substring(0, 12),
                "area_high", (prefix + "999999999999").substring(0, 12));
    }

    /** The level one step down, whose members are listed as children in a summary; null below community. */
    public String childLevel() {
        return switch (level) {
            case "city" -> "district";
            case "district" -> "street";
            case "street" -> "community";
            case "community" -> "grid";
            default -> null;
        };
    }
}
