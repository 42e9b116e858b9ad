package org.caregrid.importer;

/** Kinds of facility caregrid plans with. */
public enum FacilityKind implements Coded {
    PHARMACY("药店"),
    CLINIC("诊所"),
    VILLAGE_CLINIC("村卫生室"),
    COMMUNITY_HEALTH_CENTRE("社区卫生服务中心"),
    HOSPITAL("医院"),
    SOCIAL_WORK_STATION("社工站"),
    VOLUNTEER_SERVICE_STATION("志愿服务站"),
    COMMUNITY_OFFICE("社区办公室");

    private final String chinese;

    FacilityKind(String chinese) {
        this.chinese = chinese;
    }

    public String chinese() {
        return chinese;
    }

    /** Lenient parse of the lower-case code ("pharmacy"), the enum name or the Chinese name; null if unknown. */
    public static FacilityKind parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        for (FacilityKind kind : values()) {
            if (kind.name().equalsIgnoreCase(t) || kind.chinese.equals(t)) {
                return kind;
            }
        }
        return null;
    }
}
