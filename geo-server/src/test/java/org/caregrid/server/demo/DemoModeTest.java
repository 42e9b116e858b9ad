package org.caregrid.server.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


import org.caregrid.server.CaregridApplication;
import org.caregrid.server.security.DemoPasswords;
import org.caregrid.server.security.DemoPasswords.DemoPasswordStillSetException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.caregrid.server.support.TestDatabase;

/** {@code demo} mode on an empty database: the district and the five log-ins; WebMapBrowserTest uses them in a browser. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=demo")
class DemoModeTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "demo_mode");
    }

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DemoPasswords demoPasswords;

    @Value("${caregrid.db.url}")
    String dbUrl;

    @Value("${caregrid.db.user}")
    String dbUser;

    @Value("${caregrid.db.password}")
    String dbPassword;

    @Test
    void loadsTheDemoDistrictAndOneLogInPerRole() {
        assertThat(count("SELECT count(*) FROM admin_area WHERE level = 'community'")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM grid")).isEqualTo(4);
        assertThat(count("SELECT count(*) FROM building")).isEqualTo(16);
        assertThat(count("SELECT count(*) FROM unit")).isEqualTo(32);
        assertThat(count("SELECT count(*) FROM person")).isEqualTo(64);
        assertThat(demoPasswords.usersWithDemoPassword())
                .containsExactly("admin", "dispatcher", "gridworker", "planner", "volunteer");
    }

    @Test
    void serveRefusesToStartWhileADemoPasswordIsSet() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(CaregridApplication.class)
                .run("--spring.main.web-application-type=none", "--caregrid.mode=serve",
                        "--caregrid.home=target/test-home-serve-refusal",
                        "--caregrid.db.url=" + dbUrl, "--caregrid.db.user=" + dbUser, "--caregrid.db.password=" + dbPassword)
                .close())
                .satisfies(failure -> {
                    Throwable cause = failure;
                    while (cause != null && !(cause instanceof DemoPasswordStillSetException)) {
                        cause = cause.getCause();
                    }
                    assertThat(cause).as("a DemoPasswordStillSetException in " + failure).isNotNull();
                    assertThat(cause.getMessage()).contains("admin", "gridworker", "volunteer");
                });
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }
}
