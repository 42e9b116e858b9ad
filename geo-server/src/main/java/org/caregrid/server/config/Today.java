package org.caregrid.server.config;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The one "today" of the server: the date in the configured zone (Asia/Shanghai by default), bound
 * as {@code :as_of} in every query that asks what is active, due or overdue. The database's own
 * {@code current_date} follows the server's clock zone and may be another day.
 */
@Component
public class Today {

    private final Clock clock;

    @Autowired
    public Today(@Value("${caregrid.coverage.time-zone:Asia/Shanghai}") String zone) {
        this(Clock.system(ZoneId.of(zone)));
    }

    public Today(Clock clock) {
        this.clock = clock;
    }

    public LocalDate date() {
        return LocalDate.now(clock);
    }

    public ZoneId zone() {
        return clock.getZone();
    }
}
