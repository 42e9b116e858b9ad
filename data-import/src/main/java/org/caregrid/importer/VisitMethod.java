package org.caregrid.importer;

import java.util.Arrays;
import java.util.Locale;

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

    /**
     * The method as ledgers write it, or null: 上门走访/入户/面访 → door, 电话随访 → phone, 短信 → sms, 微信 and
     * 视频 (video calls are made on WeChat) → wechat; the codes too. WeChat is asked first: 微信电话 is a WeChat call.
     */
    public static VisitMethod fromLabel(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.contains("微信") || t.contains("视频") || t.contains("wechat") || t.contains("video")) {
            return WECHAT;
        }
        if (t.contains("短信") || t.equals("sms") || t.contains("text message")) {
            return SMS;
        }
        if (t.contains("电话") || t.contains("phone") || t.contains("call")) {
            return PHONE;
        }
        if (t.contains("上门") || t.contains("入户") || t.contains("面访") || t.contains("走访") || t.equals("door")
                || t.contains("in person") || t.contains("home visit")) {
            return DOOR;
        }
        return null;
    }
}
