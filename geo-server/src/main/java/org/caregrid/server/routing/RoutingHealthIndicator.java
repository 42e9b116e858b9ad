package org.caregrid.server.routing;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code routing} component of /actuator/health. Always UP: a graph that is still building, or
 * no road file at all, leaves the rest of the server fully usable; the details say which.
 */
@Component
class RoutingHealthIndicator implements HealthIndicator {

    private final RoutingService routing;

    RoutingHealthIndicator(RoutingService routing) {
        this.routing = routing;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up();
        switch (routing.state()) {
            case NO_ROAD_NETWORK -> health.withDetail("state", "no road network");
            case BUILDING -> health.withDetail("state", "building");
            case READY -> health.withDetail("state", "ready");
            case FAILED -> health.withDetail("state", "failed").withDetail("error", routing.failure().orElse(""));
        }
        routing.osmFile().ifPresent(f -> health.withDetail("osmFile", f.toString()));
        routing.network().ifPresent(n -> health.withDetail("graph", n.graphFolder().getFileName().toString())
                .withDetail("modes", n.modes().stream().map(m -> m.profileName()).sorted().toList()));
        return health.build();
    }
}
