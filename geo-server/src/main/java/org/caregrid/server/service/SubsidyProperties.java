package org.caregrid.server.service;

import java.math.BigDecimal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The volunteer-service subsidy rates ({@code caregrid.subsidy.*}), in yuan; the defaults are in
 * application.properties, where a street office can see and change them. Money is decimal, never double.
 *
 * @param transportPerKm transport subsidy per kilometre of service routes (交通补贴)
 * @param mealPerDay     meal subsidy per day with service (误餐补贴)
 * @param visitMinutes   service time credited for one visit by a volunteer (a visit records no duration)
 */
@ConfigurationProperties("caregrid.subsidy")
public record SubsidyProperties(@DefaultValue("1.00") BigDecimal transportPerKm,
                                @DefaultValue("15.00") BigDecimal mealPerDay,
                                @DefaultValue("30") int visitMinutes) {

    public SubsidyProperties {
        if (transportPerKm.signum() < 0 || mealPerDay.signum() < 0) {
            throw new IllegalArgumentException("caregrid.subsidy rates must not be negative");
        }
        if (visitMinutes < 0 || visitMinutes > 480) {
            throw new IllegalArgumentException("caregrid.subsidy.visit-minutes must be from 0 to 480");
        }
    }
}
