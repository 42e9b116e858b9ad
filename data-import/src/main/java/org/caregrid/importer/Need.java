package org.caregrid.importer;

/** Needs a key person may have (需求清单). */
public enum Need implements Coded {
    MEDICINE_DELIVERY("送药到户"),
    MEAL_ORDERING("用餐代订"),
    SHOPPING("物资代购"),
    COMPANIONSHIP("陪护照看"),
    PSYCHOLOGICAL_SUPPORT("心理疏导"),
    MEDICAL_REFERRAL("急诊转运"),
    GARBAGE_PICKUP("上门清运"),
    HOMEWORK_HELP("课业辅导");

    private final String chinese;

    Need(String chinese) {
        this.chinese = chinese;
    }

    public String chinese() {
        return chinese;
    }
}
