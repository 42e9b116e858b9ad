package org.caregrid.server.security;

import java.util.Map;

/**
 * The part of the map a user may see, turned into SQL. Every query that reads area data adds
 * {@link #rows} (or {@link #areas}) to its WHERE clause, so that no handler can forget it.
 */
public sealed interface AreaScope {

    /** Administrators without an area: everything. */
    record Everywhere() implements AreaScope {
    }

    /** An admin area and everything below it; {@code prefix} is the code part its descendants share. */
    record Area(String code, String level, String prefix) implements AreaScope {
        public Area {
            if (!prefix.matches("[0-9]{4,12}") || !code.startsWith(prefix)) {
                throw new IllegalArgumentException("Bad area scope " + code + "/" + prefix);
            }
        }
    }

    /** One grid (a grid worker's); {@code communityCode} is the community the grid lies in. */
    record Grid(long gridId, String communityCode) implements AreaScope {
    }

    static AreaScope everywhere() {
        return new Everywhere();
    }

    static AreaScope area(String code, String level) {
        int length = switch (level) {
            case "city" -> 4;
            case "district" -> 6;
            case "street" -> 9;
            case "community" -> 12;
            default -> throw new IllegalArgumentException("Unknown area level " + level);
        };
        return new Area(code, level, code.substring(0, length));
    }

    /**
     * The predicate for rows that carry a community code and, optionally, a grid id.
     *
     * @param areaCodeColumn the row's community-code column, e.g. {@code b.area_code}
     * @param gridIdColumn   the row's grid column, or {@code null} when the table has none (a
     *                       grid-scoped user then sees the rows of the grid's community)
     */
    default SqlPredicate rows(String areaCodeColumn, String gridIdColumn) {
        if (this instanceof Area a) {
            return prefixMatch(areaCodeColumn, a);
        }
        if (this instanceof Grid g) {
            return gridIdColumn != null
                    ? new SqlPredicate(gridIdColumn + " = :scope_grid", Map.of("scope_grid", g.gridId()))
                    : new SqlPredicate(areaCodeColumn + " = :scope_community", Map.of("scope_community", g.communityCode()));
        }
        return SqlPredicate.TRUE;
    }

    /** The predicate for admin areas themselves: the scope's area and what lies below it. */
    default SqlPredicate areas(String codeColumn) {
        if (this instanceof Area a) {
            return prefixMatch(codeColumn, a);
        }
        if (this instanceof Grid g) {
            return new SqlPredicate(codeColumn + " = :scope_community", Map.of("scope_community", g.communityCode()));
        }
        return SqlPredicate.TRUE;
    }

    /** The predicate for grids: those inside the scope. */
    default SqlPredicate grids(String gridIdColumn, String communityCodeColumn) {
        if (this instanceof Area a) {
            return prefixMatch(communityCodeColumn, a);
        }
        if (this instanceof Grid g) {
            return new SqlPredicate(gridIdColumn + " = :scope_grid", Map.of("scope_grid", g.gridId()));
        }
        return SqlPredicate.TRUE;
    }

    private static SqlPredicate prefixMatch(String codeColumn, Area area) {
        return new SqlPredicate(codeColumn + " LIKE :scope_prefix", Map.of("scope_prefix", area.prefix() + "%"));
    }
}
