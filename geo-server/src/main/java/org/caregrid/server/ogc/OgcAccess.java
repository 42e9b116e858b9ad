package org.caregrid.server.ogc;

import org.caregrid.server.web.ApiException;
import org.caregrid.server.security.Reach;
import org.caregrid.server.security.Action;
import org.caregrid.server.security.AccessPolicy;
import java.util.Arrays;
import java.util.List;

import org.caregrid.server.security.AreaScope;
import org.caregrid.server.security.CaregridUser;

/**
 * Who may read which collection, by the access policy (security/AccessPolicy): the places for everyone
 * who reads places, the aggregates of key persons for those who read them for their whole scope. Every
 * collection is limited to the caller's area scope by its SQL; a collection the caller may not read does
 * not exist for them (404), like a feature outside their scope.
 */
final class OgcAccess {

    private OgcAccess() {
    }

    /**
     * Aggregates of key persons, visits and heads' terms are for those who read them over their scope; a volunteer
     * sees only their own elsewhere.
     */
    static boolean mayRead(CaregridUser user, Layer layer) {
        if (layer == Layer.KEY_PERSON_BUILDINGS || layer == Layer.COVERAGE || layer == Layer.VISITS
                || layer == Layer.ASSIGNMENTS) {
            return AccessPolicy.reach(user, Action.READ_AGGREGATE) == Reach.SCOPE;
        }
        return AccessPolicy.allows(user, Action.READ_PLACES);
    }

    static List<Layer> readable(CaregridUser user) {
        return Arrays.stream(Layer.values()).filter(l -> mayRead(user, l)).toList();
    }

    static Layer require(CaregridUser user, String collectionId) {
        return Layer.byId(collectionId).filter(l -> mayRead(user, l))
                .orElseThrow(() -> ApiException.notFound("error.ogc.noCollection", collectionId));
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

    static ApiException noFeature(String collectionId, String featureId) {
        return ApiException.notFound("error.ogc.noFeature", featureId, collectionId);
    }
}
