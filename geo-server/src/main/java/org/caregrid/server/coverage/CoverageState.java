package org.caregrid.server.coverage;

import java.util.Map;

import org.caregrid.server.config.Today;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Hands the configured visit intervals, time zone and distance thresholds to the database, whose
 * triggers keep the coverage state (V20__coverage_state.sql). A changed configuration recomputes
 * every key person's state there, in this one statement; an unchanged one costs nothing.
 */
@Component
@Order(0)
class CoverageState implements ApplicationRunner {

    private static final String SYNC = """
            UPDATE coverage_setting
               SET time_zone = :tz,
                   visit_days_by_risk = jsonb_object(CAST(:risk_names AS text[]), CAST(CAST(:risk_days AS int[]) AS text[])),
                   visit_days_by_category = jsonb_object(CAST(:category_names AS text[]),
                                                         CAST(CAST(:category_days AS int[]) AS text[])),
                   responsible_max_m = :responsible_max_m, pharmacy_max_min = :pharmacy_max_min,
                   walking_speed = :walking_speed, detour_factor = :detour_factor
            """;

    private final JdbcClient jdbc;
    private final CoverageQueries queries;
    private final Today today;

    CoverageState(JdbcClient jdbc, CoverageQueries queries, Today today) {
        this.jdbc = jdbc;
        this.queries = queries;
        this.today = today;
    }

    @Override
    public void run(ApplicationArguments args) {
        Map<String, Object> params = queries.parameters(today.date());
        jdbc.sql(SYNC).params(params).update();
    }
}
