package org.caregrid.server.db;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

/**
 * The two database roles: the owner (who runs the migrations and owns every table) and the role the
 * server runs as, which is neither superuser nor owner and cannot bypass row-level security. The
 * append-only tables give the server's role INSERT and SELECT only.
 */
public final class DatabaseRoles {

    /** The role the server runs as unless an administrator names another (CAREGRID_DB_APP_USER). */
    public static final String DEFAULT_APP_ROLE = "caregrid_app";

    /** What the migrations need to know: the server role's name, for the policies that single it out. */
    public static java.util.Map<String, String> migrationPlaceholders(String appRole) {
        return java.util.Map.of("appRole", appRole);
    }

    /** Tables the server may add to and read, never change, empty or remove rows from. */
    public static final List<String> APPEND_ONLY = List.of("audit_log", "stop_outcome", "service_record");

    /** Tables the server only reads: their rows come from the owner's triggers. */
    public static final List<String> READ_ONLY = List.of("change_history");

    private final DataSource owner;
    private final String appRole;

    public DatabaseRoles(DataSource owner, String appRole) {
        if (!appRole.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("Not a plain role name: " + appRole);
        }
        this.owner = owner;
        this.appRole = appRole;
    }

    /**
     * The server role's password when caregrid creates the role itself: derived from the owner's, so
     * that every server on the same database, and every restart, agrees on it without a secret file.
     */
    public static String derivedPassword(String ownerPassword, String appRole) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec((ownerPassword == null ? "" : ownerPassword).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(("caregrid server role " + appRole).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates the server's role, or brings an existing one back to what it must be. */
    public void ensureRole(String password) {
        if (!password.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("The derived password must be plain");
        }
        try (Connection c = owner.getConnection(); Statement s = c.createStatement()) {
            boolean exists;
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + appRole + "'")) {
                exists = rs.next();
            }
            if (!exists) {
                try {
                    s.execute("CREATE ROLE " + appRole + " LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"
                            + " PASSWORD '" + password + "'");
                } catch (SQLException raced) {
                    // another server on the same database created it a moment ago
                    if (!"42710".equals(raced.getSQLState())) {
                        throw raced;
                    }
                }
            }
            s.execute("ALTER ROLE " + appRole + " LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"
                    + " PASSWORD '" + password + "'");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the database role " + appRole + " that the server runs as ("
                    + e.getMessage() + "). Give the database owner CREATEROLE, or create the role yourself "
                    + "(LOGIN NOSUPERUSER NOBYPASSRLS) and set CAREGRID_DB_APP_USER and CAREGRID_DB_APP_PASSWORD.", e);
        }
    }

    /** After every migration: what the server's role may do with the tables as they are now. */
    public void grant() {
        try (Connection c = owner.getConnection(); Statement s = c.createStatement()) {
            s.execute("GRANT USAGE ON SCHEMA public TO " + appRole);
            s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + appRole);
            s.execute("REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM " + appRole);
            s.execute("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO " + appRole);
            s.execute("REVOKE INSERT, UPDATE, DELETE ON flyway_schema_history, spatial_ref_sys FROM " + appRole);
            for (String table : APPEND_ONLY) {
                s.execute("REVOKE UPDATE, DELETE ON " + table + " FROM " + appRole);
            }
            for (String table : READ_ONLY) {
                s.execute("REVOKE INSERT, UPDATE, DELETE ON " + table + " FROM " + appRole);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not grant the server's role " + appRole + " its rights: " + e.getMessage(), e);
        }
    }

    public String appRole() {
        return appRole;
    }
}
