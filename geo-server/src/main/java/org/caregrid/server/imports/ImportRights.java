package org.caregrid.server.imports;

import org.caregrid.server.assignment.Rosters;
import org.caregrid.server.visit.Ledgers;
import org.caregrid.server.security.AccessPolicy;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.AreaScope;
import org.caregrid.server.security.CaregridUser;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Who may import what. An area's files (places, people, facilities) need {@link Action#IMPORT}: administrators.
 * A roster of heads and 包保 needs {@link Action#IMPORT_ROSTER} (administrators and grid workers, in their scope);
 * a visit ledger (走访台账) needs it and {@link Action#RECORD_VISIT} as well, since it records visits in bulk.
 */
final class ImportRights {

    private ImportRights() {
    }

    /** May upload a file of some type at all: checked before the body is read. */
    static boolean mayUpload(CaregridUser user) {
        return AccessPolicy.allows(user, Action.IMPORT) || AccessPolicy.allows(user, Action.IMPORT_ROSTER);
    }

    /** Throws 403 when {@code user} may not import files of {@code type}. */
    static void require(CaregridUser user, String type) {
        if (Ledgers.handles(type)) {
            AccessPolicy.require(user, Action.RECORD_VISIT);
        }
        AccessPolicy.require(user, inCallersScope(type) ? Action.IMPORT_ROSTER : Action.IMPORT);
    }

    /**
     * Rosters and ledgers name people, so they run in the caller's database session (they can name nobody outside
     * it); an area's files run unscoped, in the administrator's name.
     */
    static boolean inCallersScope(String type) {
        return Rosters.handles(type) || Ledgers.handles(type);
    }

    /** The caller's area or grid as errors name it ("no building '9栋' in 甲网格"). Blocking. */
    static String scopeLabel(JdbcClient jdbc, CaregridUser user) {
        AreaScope scope = user.scope();
        if (scope instanceof AreaScope.Area area) {
            return jdbc.sql("SELECT name || ' (' || code || ')' FROM admin_area WHERE code = :code")
                    .param("code", area.code()).query(String.class).optional().orElse(area.code());
        }
        if (scope instanceof AreaScope.Grid grid) {
            return jdbc.sql("SELECT name || ' (' || code || ')' FROM grid WHERE id = :id")
                    .param("id", grid.gridId()).query(String.class).optional().orElse("grid " + grid.gridId());
        }
        return "any area";
    }
}
