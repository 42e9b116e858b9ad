package org.caregrid.server.facility;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The kinds of facility the schema knows, with their Chinese names for the UI. */
public enum FacilityKind {
    PHARMACY("药店"),
    CLINIC("诊所"),
    VILLAGE_CLINIC("村卫生室"),
    COMMUNITY_HEALTH_CENTRE("社区卫生服务中心"),
    HOSPITAL("医院"),
    SOCIAL_WORK_STATION("社工站"),
    VOLUNTEER_SERVICE_STATION("志愿服务站"),
    COMMUNITY_OFFICE("社区办公室");

    private final String chineseName;

    FacilityKind(String chineseName) {
        this.chineseName = chineseName;
    }

    public String code() {
        return name().toLowerCase();
    }

    public String chineseName() {
        return chineseName;
    }

    public static FacilityKind fromCode(String code) {
        for (FacilityKind kind : values()) {
            if (kind.code().equals(code)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Unknown facility type '" + code + "'; known types: "
                + Arrays.stream(values()).map(FacilityKind::code).collect(Collectors.joining(", ")));
    }
}
