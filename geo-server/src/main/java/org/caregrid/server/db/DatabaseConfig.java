package org.caregrid.server.db;


import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.caregrid.server.config.CaregridProperties;
import org.caregrid.server.config.Today;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two ways into one PostGIS (the external one named by {@code caregrid.db.url}, or else the embedded
 * cluster, started here so that it is up before anything connects): the owner, who migrates the
 * schema and owns every table, and the pool the server works through, which logs in as a role that
 * row-level security holds to the caller's scope (V6__row_level_security.sql).
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfig {

    @Bean(destroyMethod = "close")
    EmbeddedPostgisHolder embeddedPostgis(CaregridProperties properties) {
        if (properties.db().external()) {
            return new EmbeddedPostgisHolder(null);
        }
        return new EmbeddedPostgisHolder(EmbeddedPostgis.forHome(properties.home()).start());
    }

    /** The owner: migrations and role set-up only, one short connection at a time. */
    @Bean
    @FlywayDataSource
    DataSource ownerDataSource(CaregridProperties properties, EmbeddedPostgisHolder embedded) {
        Credentials owner = owner(properties, embedded);
        return new SimpleDriverDataSource(new org.postgresql.Driver(), owner.url(), owner.user(), owner.password());
    }

    @Bean
    DatabaseRoles databaseRoles(CaregridProperties properties, EmbeddedPostgisHolder embedded) {
        Credentials owner = owner(properties, embedded);
        DataSource ownerSource = new SimpleDriverDataSource(new org.postgresql.Driver(), owner.url(), owner.user(), owner.password());
        return new DatabaseRoles(ownerSource, appRole(properties));
    }

    @Bean
    FlywayConfigurationCustomizer appRolePlaceholder(CaregridProperties properties) {
        return configuration -> configuration.placeholders(DatabaseRoles.migrationPlaceholders(appRole(properties)));
    }

    /** The server's role exists before the migrations that name it, and is granted what they create. */
    @Bean
    FlywayMigrationStrategy migrateWithRoles(DatabaseRoles roles, CaregridProperties properties, EmbeddedPostgisHolder embedded) {
        return flyway -> {
            if (!properties.db().hasAppUser()) {
                roles.ensureRole(DatabaseRoles.derivedPassword(owner(properties, embedded).password(), roles.appRole()));
            }
            flyway.migrate();
            roles.grant();
        };
    }

    /**
     * The pool every query of the server goes through. It starts lazily, at the first query, which
     * Spring runs only after the migrations (and so after the role exists).
     */
    @Bean(destroyMethod = "close")
    HikariDataSource appPool(CaregridProperties properties, EmbeddedPostgisHolder embedded) {
        Credentials owner = owner(properties, embedded);
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("caregrid");
        pool.setMaximumPoolSize(10);
        pool.setMinimumIdle(2);
        // with PostgreSQL gone, answer 503 within seconds instead of holding every request for 30 s
        pool.setConnectionTimeout(3_000);
        pool.setValidationTimeout(2_000);
        // the row-level policies' subplans cost plain statements at millions, past PostgreSQL's thresholds for its JIT,
        // which then compiled for most of the time of statements that work row by row (0.73 s of a 0.90 s upsert; a
        // district's open needs counted in 1.2 s, 0.4 s without it). No parallel workers either, but in the passes
        // over a whole place (CoverageQueries.planned): starting them costs 10-20 ms, more than a page read from an
        // index takes, and PostgreSQL chose them for a page of 50 overdue key persons (1.5 → 18 ms)
        pool.setConnectionInitSql("SELECT set_config('jit', 'off', false), "
                + "set_config('max_parallel_workers_per_gather', '0', false)");
        pool.setJdbcUrl(owner.url());
        pool.setUsername(appRole(properties));
        pool.setPassword(properties.db().hasAppUser() ? properties.db().appPassword()
                : DatabaseRoles.derivedPassword(owner.password(), appRole(properties)));
        return pool;
    }

    @Bean
    @Primary
    DataSource dataSource(HikariDataSource appPool, Today today) {
        return new ScopedDataSource(appPool, () -> today.date().toString());
    }

    /** Replaces Boot's: a transaction that PostgreSQL aborts to break a deadlock runs again (twice at most). */
    @Bean
    TransactionTemplate transactionTemplate(PlatformTransactionManager transactionManager) {
        return new RetryingTransactionTemplate(transactionManager, 3);
    }

    private static String appRole(CaregridProperties properties) {
        return properties.db().hasAppUser() ? properties.db().appUser() : DatabaseRoles.DEFAULT_APP_ROLE;
    }

    private static Credentials owner(CaregridProperties properties, EmbeddedPostgisHolder embedded) {
        if (properties.db().external()) {
            return new Credentials(properties.db().url(), properties.db().user(), properties.db().password());
        }
        EmbeddedPostgis postgis = embedded.postgis();
        return new Credentials(postgis.jdbcUrl(), postgis.username(), postgis.password());
    }

    private record Credentials(String url, String user, String password) {
    }

    /** Wraps the optional cluster; the pool depends on it, so the pool closes before the cluster stops. */
    record EmbeddedPostgisHolder(EmbeddedPostgis postgis) implements AutoCloseable {
        @Override
        public void close() {
            if (postgis != null) {
                postgis.close();
            }
        }
    }

}
