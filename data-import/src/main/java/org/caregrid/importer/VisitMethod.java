package org.caregrid.importer;

import java.util.Arrays;

/** How a visit was made (visit.method): 上门 door-to-door, 电话 phone, 短信 SMS, 微信 WeChat. */
public enum VisitMethod implements Coded {
    DOOR("上门"), PHONE("电话"), SMS("短信"), WECHAT("微信");

    private final String chinese;

    VisitMethod(String chinese) {
        this.chinese = chinese;
    }

    /** Accepts the code (door, phone, sms, wechat) or the Chinese word. */
    public static VisitMethod parse(String text) {
        return Arrays.stream(values())
                .filter(m -> m.code().equalsIgnoreCase(text.trim()) || m.chinese.equals(text.trim()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "method must be one of door/上门, phone/电话, sms/短信, wechat/微信; got '" + text + "'"));
    }
}
