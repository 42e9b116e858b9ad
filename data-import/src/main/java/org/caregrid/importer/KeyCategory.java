package org.caregrid.importer;

/** Key population categories (重点人群); a person may be in several. */
public enum KeyCategory implements Coded {
    ELDERLY_ALONE("独居老人"),
    ELDERLY_EMPTY_NEST("空巢老人"),
    ELDERLY_VERY_OLD("高龄老人"),
    ELDERLY_DISABLED("失能老人"),
    DISABLED_IN_DIFFICULTY("困难残疾人"),
    CHILD_LEFT_BEHIND("留守儿童"),
    CHILD_ORPHAN("孤儿"),
    CHILD_UNSUPPORTED("事实无人抚养儿童"),
    CHILD_DISABLED("残疾儿童"),
    PREGNANT_POSTPARTUM("孕产妇"),
    MINIMUM_ALLOWANCE("低保对象"),
    EXTREME_POVERTY("特困人员"),
    SEVERE_MENTAL_DISORDER("严重精神障碍患者"),
    HOME_TREATMENT("居家治疗人员"),
    CHRONIC_CONDITION("基础疾病患者");

    private final String chinese;

    KeyCategory(String chinese) {
        this.chinese = chinese;
    }

    public String chinese() {
        return chinese;
    }
}
