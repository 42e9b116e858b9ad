package org.caregrid.server.coverage;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Targets and thresholds of the coverage metrics ({@code caregrid.coverage.*}); the defaults are
 * in application.properties, where a deployment can see and change them.
 *
 * @param rateTarget                     the share of items that should meet each metric, by metric id (1.0 = 100 %)
 * @param responsibleMaxDistanceM        a responsible person should live within this walking distance
 * @param visitIntervalDaysByRisk        visit interval by risk level
 * @param visitIntervalDaysByCategory    a shorter interval for some categories; the shortest applies
 * @param pharmacyMaxWalkMinutes         the 15-minute community life circle (15分钟社区生活圈)
 * @param walkingSpeedMPerS              for the straight-line estimate when the road network is not ready
 * @param detourFactor                   straight line to street distance, for the same estimate
 * @param volunteersPerKeyPerson         volunteers living in a grid per key person of the grid
 * @param deliverySquadPerMedicineNeed   delivery-squad members per key person who needs medicine delivery
 * @param reservePerRegularWorker        reserve members per grid worker / community worker (the 1:3 ratio)
 * @param microOrganisationsPerCommunity at least this many micro-organisations per community
 * @param microOrganisationsPerCompound  at least this many per residential compound
 * @param needOpenMaxDays                a need should find a taker (接单) within this many days of being opened
 * @param timeZone                       the local day that visit dates are counted in
 */
@ConfigurationProperties("caregrid.coverage")
public record CoverageProperties(
        Map<String, Double> rateTarget,
        double responsibleMaxDistanceM,
        Map<String, Integer> visitIntervalDaysByRisk,
        Map<String, Integer> visitIntervalDaysByCategory,
        double pharmacyMaxWalkMinutes,
        double walkingSpeedMPerS,
        double detourFactor,
        double volunteersPerKeyPerson,
        double deliverySquadPerMedicineNeed,
        double reservePerRegularWorker,
        int microOrganisationsPerCommunity,
        int microOrganisationsPerCompound,
        int needOpenMaxDays,
        String timeZone) {

    public CoverageProperties {
        rateTarget = rateTarget == null ? Map.of() : Map.copyOf(rateTarget);
        visitIntervalDaysByRisk = visitIntervalDaysByRisk == null ? Map.of() : Map.copyOf(visitIntervalDaysByRisk);
        visitIntervalDaysByCategory = visitIntervalDaysByCategory == null ? Map.of() : Map.copyOf(visitIntervalDaysByCategory);
        if (needOpenMaxDays <= 0) {
            needOpenMaxDays = 7;
        }
        if (timeZone == null || timeZone.isBlank()) {
            timeZone = "Asia/Shanghai";
        }
    }

    public double rateTarget(Metric metric) {
        return rateTarget.getOrDefault(metric.id(), 1.0);
    }
}
