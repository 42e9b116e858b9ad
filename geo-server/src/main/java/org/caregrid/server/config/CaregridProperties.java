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
            db = new Db(null, null, null, null, null);
        }
    }

    public boolean demo() {
        return "demo".equals(mode);
    }

    /**
     * @param url         an external PostGIS; blank for the embedded one
     * @param user        the owner on the external PostGIS: runs the migrations
     * @param password    the owner's password
     * @param appUser     the role the server runs as, made by an administrator; blank: caregrid makes
     *                    {@code caregrid_app} itself (the owner needs CREATEROLE)
     * @param appPassword that role's password
     */
    public record Db(String url, String user, String password, String appUser, String appPassword) {

        public boolean external() {
            return url != null && !url.isBlank();
        }

        public boolean hasAppUser() {
            return appUser != null && !appUser.isBlank();
        }
    }
}
