package org.caregrid.importer;

/** Volunteer teams named in the provincial notices. */
public enum VolunteerTeam {
    MEDICINE_DELIVERY_SQUAD("药品配送小分队"),
    SILVER_AGE("银龄志愿服务队"),
    YOUTH("青年志愿者"),
    SOCIAL_WORKERS("社工");

    private final String chinese;

    VolunteerTeam(String chinese) {
        this.chinese = chinese;
    }

    public String chinese() {
        return chinese;
    }
}
