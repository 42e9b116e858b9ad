package org.caregrid.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.caregrid.server.config.MapProperties;
import org.junit.jupiter.api.Test;

/**
 * The policy lets the configured tile server's images in (and the service worker's fetches of them, to
 * keep them offline), and nothing else from outside.
 */
class ContentSecurityPolicyTest {

    @Test
    void withoutATileServerOnlyCaregridItself() {
        assertThat(SecurityConfig.contentSecurityPolicy(new MapProperties("", "", "wgs84")))
                .contains("img-src 'self' data: blob:;", "script-src 'self';", "connect-src 'self';", "worker-src 'self';");
    }

    @Test
    void aTileServerWithSubdomainsIsAllowedForImagesAndTheirFetchesOnly() {
        String csp = SecurityConfig.contentSecurityPolicy(new MapProperties(
                "https://t{s}.tianditu.gov.cn/vec_w/wmts?x={x}&y={y}&l={z}", "天地图", "wgs84"));
        assertThat(csp).contains("img-src 'self' data: blob: https://*.tianditu.gov.cn;", "connect-src 'self' https://*.tianditu.gov.cn;")
                .contains("script-src 'self';");
        assertThat(SecurityConfig.contentSecurityPolicy(new MapProperties(
                "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "OSM", "wgs84")))
                .contains("img-src 'self' data: blob: https://tile.openstreetmap.org;");
    }
}
