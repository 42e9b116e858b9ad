package org.caregrid.server.db;


import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.caregrid.server.config.CaregridProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one data source: the external PostGIS named by {@code caregrid.db.url}, or else the
 * embedded cluster, which is started here so that it is up before the pool and Flyway.
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

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(CaregridProperties properties, EmbeddedPostgisHolder embedded) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("caregrid");
        config.setMaximumPoolSize(10);
        if (properties.db().external()) {
            config.setJdbcUrl(properties.db().url());
            config.setUsername(properties.db().user());
            config.setPassword(properties.db().password());
        } else {
            EmbeddedPostgis postgis = embedded.postgis();
            config.setJdbcUrl(postgis.jdbcUrl());
            config.setUsername(postgis.username());
            config.setPassword(postgis.password());
        }
        return new HikariDataSource(config);
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
