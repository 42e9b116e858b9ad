package org.caregrid.server.config;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code caregrid.*}; each can also be given as an environment variable
 * ({@code CAREGRID_HOME}, {@code CAREGRID_DB_URL}, ...).
 *
 * @param home      the data folder: the embedded PostGIS, graph caches, secrets
 * @param mode      {@code serve} or {@code demo}, set by the command line ({@code admin} for
 *                  one-off commands, {@code test} in tests that bring their own fixture)
 * @param db        an external PostGIS; when its URL is blank the embedded one is started
 * @param idHashKey the key of the ID-number hash; generated into {@code home} when blank
 */
@ConfigurationProperties("caregrid")
public record CaregridProperties(Path home, String mode, Db db, String idHashKey) {

    public CaregridProperties {
        if (home == null) {
            home = Path.of(System.getProperty("user.home"), ".local", "share", "caregrid");
        }
        if (mode == null || mode.isBlank()) {
            mode = "serve";
        }
        if (db == null) {
            db = new Db(null, null, null);
        }
    }

    public boolean demo() {
        return "demo".equals(mode);
    }

    public record Db(String url, String user, String password) {

        public boolean external() {
            return url != null && !url.isBlank();
        }
    }
}
