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
 */
@ConfigurationProperties("caregrid.subsidy")
public record SubsidyProperties(@DefaultValue("1.00") BigDecimal transportPerKm,
                                @DefaultValue("15.00") BigDecimal mealPerDay) {

    public SubsidyProperties {
        if (transportPerKm.signum() < 0 || mealPerDay.signum() < 0) {
            throw new IllegalArgumentException("caregrid.subsidy rates must not be negative");
        }
    }
}
