package org.caregrid.server.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The map's optional external base layer ({@code caregrid.map.*}). Without a tile URL the map draws
 * only caregrid's own data, so it works with no internet, as on a government intranet.
 *
 * @param tileUrl         a Leaflet tile URL template, e.g. Tianditu's or OpenStreetMap's; blank for none
 * @param tileAttribution shown in the map's corner
 * @param tileCrs         {@code wgs84}, or {@code gcj02} for Amap-style tiles: then the map shifts
 *                        caregrid's WGS84 data so that it lines up with them
 */
@ConfigurationProperties("caregrid.map")
public record MapProperties(String tileUrl, String tileAttribution, String tileCrs) {

    public MapProperties {
        tileUrl = tileUrl == null ? "" : tileUrl.trim();
        tileAttribution = tileAttribution == null ? "" : tileAttribution;
        tileCrs = tileCrs == null || tileCrs.isBlank() ? "wgs84" : tileCrs.trim().toLowerCase();
        if (!tileCrs.equals("wgs84") && !tileCrs.equals("gcj02")) {
            throw new IllegalArgumentException("caregrid.map.tile-crs must be wgs84 or gcj02; got " + tileCrs);
        }
    }
}
