package org.caregrid.server.routing;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code caregrid.routing.*}.
 *
 * @param osmFile       the road file; when unset, the newest *.osm / *.osm.gz / *.pbf in {@code <home>/roads/}
 * @param maxSnapMeters a place farther than this from a usable road is reported, not routed (default 300)
 * @param optimizer     the route optimiser of dispatch and visit tours: {@code hgs} (hybrid genetic search, the
 *                      default) or {@code ortools}
 */
@ConfigurationProperties("caregrid.routing")
public record RoutingProperties(Path osmFile, Double maxSnapMeters, String optimizer) {

    public RoutingProperties {
        if (maxSnapMeters == null) {
            maxSnapMeters = 300.0;
        }
        if (optimizer == null || optimizer.isBlank()) {
            optimizer = "hgs";
        }
        if (!optimizer.equals("hgs") && !optimizer.equals("ortools")) {
            throw new IllegalArgumentException("caregrid.routing.optimizer must be hgs or ortools, not " + optimizer);
        }
    }
}
