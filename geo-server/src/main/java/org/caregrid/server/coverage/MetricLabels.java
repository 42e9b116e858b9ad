package org.caregrid.server.coverage;

import java.util.Locale;

import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * A metric's name and what each item should meet, in the caller's language, with the configured
 * thresholds written in (metric.&lt;id&gt;.name / .target in vocabulary*.properties).
 */
@Component
public class MetricLabels {

    private final MessageSource messages;
    private final CoverageProperties properties;

    MetricLabels(MessageSource messages, CoverageProperties properties) {
        this.messages = messages;
        this.properties = properties;
    }

    public String name(Metric metric, Locale locale) {
        return messages.getMessage("metric." + metric.id() + ".name", arguments(metric), locale);
    }

    public String itemTarget(Metric metric, Locale locale) {
        return messages.getMessage("metric." + metric.id() + ".target", arguments(metric), locale);
    }

    /** The configured number a metric's words mention (15 minutes, 1:3, 5 organisations), or null. */
    public Number threshold(Metric metric) {
        return switch (metric) {
            case RESPONSIBLE_DISTANCE -> properties.responsibleMaxDistanceM();
            case PHARMACY_ACCESS -> properties.pharmacyMaxWalkMinutes();
            case VOLUNTEERS -> properties.volunteersPerKeyPerson();
            case DELIVERY_SQUAD -> properties.deliverySquadPerMedicineNeed();
            case RESERVE -> properties.reservePerRegularWorker();
            case COMMUNITY_ORGANISATIONS -> properties.microOrganisationsPerCommunity();
            case COMPOUND_ORGANISATIONS -> properties.microOrganisationsPerCompound();
            case NEEDS_OPEN -> properties.needOpenMaxDays();
            default -> null;
        };
    }

    private Object[] arguments(Metric metric) {
        Number value = threshold(metric);
        return value == null ? null : new Object[] {value};
    }
}
