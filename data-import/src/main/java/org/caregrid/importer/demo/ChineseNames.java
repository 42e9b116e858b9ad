package org.caregrid.importer.demo;

import java.util.SplittableRandom;

/** Believable Chinese names for people, roads, compounds and organisations. */
final class ChineseNames {

    /** Commonest surnames first; picked with a bias to the front, as they occur. */
    private static final String SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
            + "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严"
            + "覃武戴莫孔向汤";
    private static final String MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林洋建国文志兵峰海成亮东";
    private static final String FEMALE = "芳娜敏静丽艳娟霞秀英玲桂兰萍红琴云梅莉燕洁琳雪慧婷倩颖佳欣怡晶蓉丹雯蕾璐";
    private static final String[] ROAD_WORDS = {"玉林", "芳草", "倪家桥", "桐梓林", "人民南", "科华", "一环", "二环",
            "高升桥", "红牌楼", "簇桥", "机投", "望江", "浆洗", "武侯", "锦里", "洗面桥", "磨子桥", "致民", "紫荆",
            "广福", "双楠", "置信", "丽都", "永丰", "肖家河", "新南", "太平园", "晋阳", "金履"};
    private static final String[] COMPOUND_WORDS = {"锦绣", "翠苑", "阳光", "金色", "华兴", "紫荆", "南苑", "蓝天",
            "和平", "幸福", "康乐", "丽景", "银杏", "龙腾", "天府", "棕榈", "都市", "枫林", "名仕", "清水", "碧云",
            "万科", "兴蓉", "蜀都", "芙蓉", "锦城", "青竹", "望江", "新城", "星河"};
    private static final String[] OLD_COMPOUND_SUFFIXES = {"宿舍", "院落", "小区", "街坊"};
    private static final String[] NEW_COMPOUND_SUFFIXES = {"花园", "家园", "苑", "名城", "雅居", "公馆", "府"};
    private static final String[] WORK_UNITS = {"机床厂", "电子厂", "供电局", "铁路", "纺织厂", "粮食局", "邮电",
            "第三建筑公司", "川棉厂", "电业局"};

    private ChineseNames() {
    }

    static String surname(SplittableRandom random) {
        // squaring the uniform draw favours the common surnames at the front of the list
        double u = random.nextDouble();
        return String.valueOf(SURNAMES.charAt((int) (u * u * SURNAMES.length())));
    }

    static String givenName(SplittableRandom random, boolean male) {
        String pool = male ? MALE : FEMALE;
        String first = String.valueOf(pool.charAt(random.nextInt(pool.length())));
        return random.nextDouble() < 0.35 ? first : first + pool.charAt(random.nextInt(pool.length()));
    }

    static String roadWord(int index) {
        return ROAD_WORDS[index % ROAD_WORDS.length] + (index >= ROAD_WORDS.length ? String.valueOf(
                "东西南北中新".charAt((index / ROAD_WORDS.length - 1) % 6)) : "");
    }

    static String compoundName(SplittableRandom random, boolean old, int serial) {
        if (old && random.nextDouble() < 0.5) {
            return WORK_UNITS[random.nextInt(WORK_UNITS.length)] + OLD_COMPOUND_SUFFIXES[random.nextInt(2)];
        }
        String word = COMPOUND_WORDS[random.nextInt(COMPOUND_WORDS.length)];
        String[] suffixes = old ? OLD_COMPOUND_SUFFIXES : NEW_COMPOUND_SUFFIXES;
        String name = word + suffixes[random.nextInt(suffixes.length)];
        return serial > 0 && random.nextDouble() < 0.3 ? name + "二期" : name;
    }
}
