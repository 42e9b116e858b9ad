package org.caregrid.server.users;

import java.util.Map;

import org.caregrid.server.security.AreaScope;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.SqlPredicate;

/**
 * Which accounts an administrator manages: an administrator without an area manages everyone, one
 * scoped to an area the users whose scope lies inside that area (an area below it, or a grid in it),
 * one scoped to a grid the users of that grid. app_user has no row-level security (the log-in reads it
 * before anyone is known), so the server applies this predicate itself.
 */
final class AdminReach {

    private AdminReach() {
    }

    /** The predicate on an {@code app_user} row, aliased {@code alias}. */
    static SqlPredicate users(CaregridUser admin, String alias) {
        AreaScope scope = admin.scope();
        if (scope instanceof AreaScope.Area area) {
            return new SqlPredicate("(" + alias + ".scope_area_code LIKE :reach_prefix OR " + alias
                    + ".scope_grid_id IN (SELECT id FROM grid WHERE community_code LIKE :reach_prefix))",
                    Map.of("reach_prefix", area.prefix() + "%"));
        }
        if (scope instanceof AreaScope.Grid grid) {
            return new SqlPredicate(alias + ".scope_grid_id = :reach_grid", Map.of("reach_grid", grid.gridId()));
        }
        return SqlPredicate.TRUE;
    }
}
