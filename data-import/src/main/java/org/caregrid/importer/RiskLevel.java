package org.caregrid.importer;

/** Risk level of a key person; it sets the visit interval. */
public enum RiskLevel implements Coded {
    LOW(30), MEDIUM(14), HIGH(7);

    private final int visitIntervalDays;

    RiskLevel(int visitIntervalDays) {
        this.visitIntervalDays = visitIntervalDays;
    }

    public int visitIntervalDays() {
        return visitIntervalDays;
    }
}
