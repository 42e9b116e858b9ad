package org.caregrid.server.ogc;

import java.util.Arrays;
import java.util.List;

import org.caregrid.server.security.AreaScope;
import org.caregrid.server.security.CaregridUser;
import org.caregrid.server.security.Role;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * Who may read which collection, in one place (to be pointed at the central access policy). Every
 * collection is limited to the caller's area scope by its SQL; a collection the caller may not read does
 * not exist for them (404), like a feature outside their scope.
 */
final class OgcAccess {

    private OgcAccess() {
    }

    /** Aggregates of key persons are for those who plan or visit; a volunteer sees only their own key persons elsewhere. */
    static boolean mayRead(CaregridUser user, Layer layer) {
        if (layer == Layer.KEY_PERSON_BUILDINGS || layer == Layer.COVERAGE) {
            return user.has(Role.ADMIN) || user.has(Role.PLANNER) || user.has(Role.GRID_WORKER) || user.has(Role.DISPATCHER);
        }
        return true;
    }

    static List<Layer> readable(CaregridUser user) {
        return Arrays.stream(Layer.values()).filter(l -> mayRead(user, l)).toList();
    }

    static Layer require(CaregridUser user, String collectionId) {
        return Layer.byId(collectionId).filter(l -> mayRead(user, l))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No collection '" + collectionId + "'"));
    }

    static AreaScope scope(CaregridUser user) {
        return user.scope();
    }

    /** The part of a cache key that stands for the scope: callers with the same key see the same features. */
    static String scopeKey(AreaScope scope) {
        if (scope instanceof AreaScope.Area a) {
            return "area:" + a.prefix();
        }
        if (scope instanceof AreaScope.Grid g) {
            return "grid:" + g.gridId() + ":" + g.communityCode();
        }
        return "all";
    }

    static ResponseStatusException noFeature(String collectionId, String featureId) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No feature '" + featureId + "' in collection '"
                + collectionId + "'");
    }
}
