package org.caregrid.server.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * A metric's kept counts are counted again only when a table it reads changed (CoverageCounts): a table its
 * maintained SQL reads but {@link Metric#maintainedTables()} does not name would leave its figures stale.
 */
class MetricTablesTest {

    private static final Pattern READ = Pattern.compile("\\b(?:FROM|JOIN)\\s+([a-z_]+)");

    @Test
    void everyTableAMaintainedMetricReadsIsOneWhoseChangesCountItAgain() {
        for (Metric metric : Metric.values()) {
            if (metric.maintainedSql() == null) {
                assertThat(metric.maintainedTables()).as(metric.id()).isEmpty();
                continue;
            }
            Set<String> read = new TreeSet<>();
            Matcher m = READ.matcher(metric.maintainedSql());
            while (m.find()) {
                read.add(m.group(1));
            }
            assertThat(read).as(metric.id()).isNotEmpty();
            assertThat(metric.maintainedTables()).as(metric.id()).containsExactlyInAnyOrderElementsOf(read);
        }
    }
}
