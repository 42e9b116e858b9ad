package org.caregrid.server.security;

import static org.caregrid.server.security.Action.ADMINISTER;
import static org.caregrid.server.security.Action.APPOINT;
import static org.caregrid.server.security.Action.CALL_OUT;
import static org.caregrid.server.security.Action.DELIVER;
import static org.caregrid.server.security.Action.EMERGENCY_TRANSFER;
import static org.caregrid.server.security.Action.IMPORT;
import static org.caregrid.server.security.Action.IMPORT_ROSTER;
import static org.caregrid.server.security.Action.KEEP_FACILITIES;
import static org.caregrid.server.security.Action.KEEP_ORGANISATIONS;
import static org.caregrid.server.security.Action.KEEP_SUPPLY;
import static org.caregrid.server.security.Action.KEEP_VOLUNTEERS;
import static org.caregrid.server.security.Action.OWN_ACCOUNT;
import static org.caregrid.server.security.Action.PLAN_DELIVERIES;
import static org.caregrid.server.security.Action.PLAN_VISITS;
import static org.caregrid.server.security.Action.PUBLISH;
import static org.caregrid.server.security.Action.READ_AGGREGATE;
import static org.caregrid.server.security.Action.READ_ID;
import static org.caregrid.server.security.Action.READ_NAMES;
import static org.caregrid.server.security.Action.READ_PHONE;
import static org.caregrid.server.security.Action.READ_PLACES;
import static org.caregrid.server.security.Action.RECORD_VISIT;
import static org.caregrid.server.security.Action.REGISTER;
import static org.caregrid.server.security.Action.REPORT_SERVICE;
import static org.caregrid.server.security.Action.REQUEST_DELIVERY;
import static org.caregrid.server.security.Action.WORK_NEEDS;
import static org.caregrid.server.security.Reach.NONE;
import static org.caregrid.server.security.Reach.OWN_KEY_PERSONS;
import static org.caregrid.server.security.Reach.SCOPE;

import java.util.EnumMap;
import java.util.Map;

import org.caregrid.server.db.DbSession;
import org.caregrid.server.web.ApiException;

/**
 * The access policy, declared once: for each role and action, how far the role reaches. A user with
 * several roles reaches as far as the widest of them. Handlers declare their action with
 * {@link Requires}; {@link AccessFilter} enforces it before the handler runs, and row-level security
 * in the database enforces the scope again (docs/security.md prints this table).
 */
public final class AccessPolicy {

    private static final Map<Role, Map<Action, Reach>> TABLE = new EnumMap<>(Role.class);

    static {
        //                    places  aggregate  names  phone  id     visit  register  request  appoint  volunt  facil  organis  plan-del  plan-vis  publish  deliver  emerg  supply  needs  callout  import  roster  report  admin  own
        row(Role.ADMIN,       SCOPE,  SCOPE,     SCOPE, NONE,  NONE,  SCOPE, SCOPE,    SCOPE,   SCOPE,   SCOPE,  SCOPE, SCOPE,   SCOPE,    NONE,     SCOPE,   NONE,    SCOPE, SCOPE,  SCOPE, SCOPE,    SCOPE,  SCOPE,  SCOPE,  SCOPE, SCOPE);
        // planners keep the organisations and so their offers; the needs list names persons, so it is not theirs
        row(Role.PLANNER,     SCOPE,  SCOPE,     NONE,  NONE,  NONE,  NONE,  NONE,     NONE,    SCOPE,   NONE,   NONE,  SCOPE,   NONE,     NONE,     NONE,    NONE,    NONE,  SCOPE,  NONE,  NONE,     NONE,   NONE,   NONE,   NONE,  SCOPE);
        row(Role.DISPATCHER,  SCOPE,  SCOPE,     SCOPE, NONE,  NONE,  NONE,  NONE,     SCOPE,   NONE,    SCOPE,  NONE,  NONE,    SCOPE,    NONE,     SCOPE,   NONE,    SCOPE, SCOPE,  SCOPE, SCOPE,    NONE,   NONE,   SCOPE,  NONE,  SCOPE);
        // a roster finds people by name: grid workers import their grid's, planners (no names) do not
        row(Role.GRID_WORKER, SCOPE,  SCOPE,     SCOPE, SCOPE, NONE,  SCOPE, SCOPE,    SCOPE,   SCOPE,   SCOPE,  NONE,  NONE,    NONE,     SCOPE,    NONE,    NONE,    SCOPE, SCOPE,  SCOPE, SCOPE,    NONE,   SCOPE,  SCOPE,  NONE,  SCOPE);
        row(Role.VOLUNTEER,  SCOPE, OWN_KEY_PERSONS, OWN_KEY_PERSONS, OWN_KEY_PERSONS, NONE, OWN_KEY_PERSONS,
                NONE, OWN_KEY_PERSONS, NONE, NONE, NONE, NONE, NONE, NONE, NONE, OWN_KEY_PERSONS, NONE,
                OWN_KEY_PERSONS, OWN_KEY_PERSONS, NONE, NONE, NONE, NONE, NONE, SCOPE);
    }

    private AccessPolicy() {
    }

    private static void row(Role role, Reach... reaches) {
        Action[] actions = {READ_PLACES, READ_AGGREGATE, READ_NAMES, READ_PHONE, READ_ID, RECORD_VISIT, REGISTER,
                REQUEST_DELIVERY, APPOINT, KEEP_VOLUNTEERS, KEEP_FACILITIES, KEEP_ORGANISATIONS,
                PLAN_DELIVERIES, PLAN_VISITS, PUBLISH, DELIVER, EMERGENCY_TRANSFER, KEEP_SUPPLY, WORK_NEEDS, CALL_OUT, IMPORT,
                IMPORT_ROSTER, REPORT_SERVICE, ADMINISTER, OWN_ACCOUNT};
        if (reaches.length != actions.length) {
            throw new IllegalStateException("The policy row of " + role + " must name every action");
        }
        Map<Action, Reach> row = new EnumMap<>(Action.class);
        for (int i = 0; i < actions.length; i++) {
            row.put(actions[i], reaches[i]);
        }
        TABLE.put(role, row);
    }

    /** How far {@code role} reaches with {@code action}. */
    public static Reach reach(Role role, Action action) {
        return TABLE.get(role).get(action);
    }

    /** How far a user reaches: the widest of their roles. */
    public static Reach reach(CaregridUser user, Action action) {
        Reach widest = NONE;
        for (Role role : user.roles()) {
            widest = Reach.widest(widest, reach(role, action));
        }
        return widest;
    }

    public static boolean allows(CaregridUser user, Action action) {
        return reach(user, action) != NONE;
    }

    /** Throws the policy's refusal when {@code user} may not do {@code action} at all. */
    public static void require(CaregridUser user, Action action) {
        if (!allows(user, action)) {
            throw ApiException.forbidden("error.policy." + action.name());
        }
    }

    /**
     * A user who reads names only of their own key persons: their lists, and in the database every
     * personal row, are limited to those persons.
     */
    public static boolean ownKeyPersonsOnly(CaregridUser user) {
        return reach(user, READ_NAMES) == OWN_KEY_PERSONS;
    }

    /** The settings that make row-level security hold {@code user} to their scope. */
    public static DbSession databaseSession(CaregridUser user) {
        AreaScope scope = user.scope();
        boolean admin = allows(user, ADMINISTER);
        if (scope instanceof AreaScope.Area area) {
            return new DbSession("area", area.prefix(), null, ownKeyPersonsOnly(user), user.personId(), admin, user.getUsername());
        }
        if (scope instanceof AreaScope.Grid grid) {
            return new DbSession("grid", null, grid.gridId(), ownKeyPersonsOnly(user), user.personId(), admin, user.getUsername());
        }
        return new DbSession("everywhere", null, null, ownKeyPersonsOnly(user), user.personId(), admin, user.getUsername());
    }

    /** The whole table, for the documentation and the tests that are generated from it. */
    public static Map<Role, Map<Action, Reach>> table() {
        Map<Role, Map<Action, Reach>> copy = new EnumMap<>(Role.class);
        TABLE.forEach((role, row) -> copy.put(role, new EnumMap<>(row)));
        return copy;
    }
}
