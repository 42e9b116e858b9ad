package org.caregrid.server.coverage;

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
