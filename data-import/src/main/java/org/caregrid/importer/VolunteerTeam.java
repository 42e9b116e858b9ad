package org.caregrid.importer;

/** Volunteer teams named in the provincial notices. */
public enum VolunteerTeam implements Coded {
    MEDICINE_DELIVERY("药品配送小分队"),
    SILVER_AGE("银龄志愿服务队"),
    YOUTH("青年志愿者"),
    SOCIAL_WORKER("社工");

    private final String chinese;

    VolunteerTeam(String chinese) {
        this.chinese = chinese;
    }

    public String chinese() {
        return chinese;
    }
}
