package org.caregrid.server.routing;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code caregrid.routing.*}.
 *
 * @param osmFile       the road file; when unset, the newest *.osm / *.osm.gz / *.pbf in {@code <home>/roads/}
 * @param maxSnapMeters a place farther than this from a usable road is reported, not routed (default 300)
 */
@ConfigurationProperties("caregrid.routing")
public record RoutingProperties(Path osmFile, Double maxSnapMeters) {

    public RoutingProperties {
        if (maxSnapMeters == null) {
            maxSnapMeters = 300.0;
        }
    }
}
