package org.caregrid.importer;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Which source field (column, attribute, tag) feeds which caregrid field. Every caregrid field has default
 * aliases, English and Chinese (e.g. phone ← phone, tel, 电话, 手机, 联系电话); an explicit mapping wins over them.
 * Matching ignores case, spaces, '_' and '-'.
 *
 * <p>A mapping file is UTF-8 properties, one {@code caregridField = source field} per line, e.g.
 * {@code phone = 联系方式}. Keys are the constants of this class.
 */
public final class FieldMapping {

    public static final String EXTERNAL_ID = "externalId";
    public static final String NAME = "name";
    public static final String CODE = "code";
    public static final String LEVEL = "level";
    public static final String PARENT_CODE = "parentCode";
    public static final String COMMUNITY_CODE = "communityCode";
    public static final String LON = "lon";
    public static final String LAT = "lat";
    public static final String WKT = "wkt";
    public static final String PHONE = "phone";
    public static final String ID_NUMBER = "idNumber";
    public static final String GENDER = "gender";
    public static final String BIRTH_DATE = "birthDate";
    public static final String BUILDING = "building";
    public static final String UNIT = "unit";
    public static final String ROOM = "room";
    public static final String FLOORS = "floors";
    public static final String HOUSEHOLDS = "households";
    public static final String COMPOUND = "compound";
    public static final String PROPERTY_MANAGEMENT = "propertyManagement";
    public static final String CITY = "city";
    public static final String DISTRICT = "district";
    public static final String STREET = "street";
    public static final String HOUSE_NUMBER = "houseNumber";
    public static final String POSTCODE = "postcode";
    public static final String PERSON = "person";
    public static final String CATEGORIES = "categories";
    public static final String RISK_LEVEL = "riskLevel";
    public static final String NEEDS = "needs";
    public static final String RESPONSIBLE = "responsible";
    public static final String SKILLS = "skills";
    public static final String TEAMS = "teams";
    public static final String TRAVEL_MODE = "travelMode";
    public static final String CAPACITY = "capacity";
    public static final String AVAILABLE_DAYS = "availableDays";
    public static final String AVAILABLE_FROM = "availableFrom";
    public static final String AVAILABLE_TO = "availableTo";
    public static final String RESERVE = "reserve";
    public static final String KIND = "kind";
    public static final String OPENING_HOURS = "openingHours";
    public static final String ROLE = "role";
    public static final String KEY_PERSON = "keyPerson";
    public static final String KEY_PERSON_PHONE = "keyPersonPhone";
    public static final String KEY_PERSON_ID_NUMBER = "keyPersonIdNumber";
    public static final String VALID_FROM = "validFrom";
    public static final String VALID_TO = "validTo";
    public static final String VISITED_AT = "visitedAt";
    public static final String METHOD = "method";
    public static final String VISITOR = "visitor";
    public static final String VISITOR_PHONE = "visitorPhone";
    public static final String VISITOR_ID_NUMBER = "visitorIdNumber";
    public static final String FINDINGS = "findings";

    private static final Map<String, List<String>> DEFAULT_ALIASES = new LinkedHashMap<>();

    static {
        alias(EXTERNAL_ID, "externalId", "external_id", "id", "fid", "osm_id", "编号", "外部编号", "唯一标识");
        alias(NAME, "name", "名称", "姓名", "名字", "走访对象", "对象姓名", "小区名称", "楼栋名称", "机构名称", "网格名称");
        alias(CODE, "code", "代码", "编码", "区划代码", "网格编码", "楼栋编码", "统计用区划代码");
        alias(LEVEL, "level", "级别", "层级");
        alias(PARENT_CODE, "parentCode", "parent", "上级代码", "上级编码", "上级区划代码");
        alias(COMMUNITY_CODE, "communityCode", "community", "社区代码", "社区编码", "所属社区");
        alias(LON, "lon", "lng", "long", "longitude", "x", "经度");
        alias(LAT, "lat", "latitude", "y", "纬度");
        alias(WKT, "wkt", "geometry", "geom", "the_geom", "shape", "坐标", "几何");
        alias(PHONE, "phone", "tel", "telephone", "mobile", "电话", "手机", "手机号", "联系电话", "手机号码",
                "phoneTail", "手机尾号", "电话尾号");
        alias(ID_NUMBER, "idNumber", "id_card", "idcard", "身份证", "身份证号", "身份证号码", "证件号码", "公民身份号码");
        alias(GENDER, "gender", "sex", "性别");
        alias(BIRTH_DATE, "birthDate", "birthday", "birth", "出生日期", "生日");
        alias(BUILDING, "building", "buildingRef", "building_code", "楼栋", "楼栋号", "楼号", "栋", "幢");
        alias(UNIT, "unit", "单元", "单元号");
        alias(ROOM, "room", "房号", "房间号", "门牌号", "室");
        alias(FLOORS, "floors", "levels", "building:levels", "层数", "楼层数", "总层数");
        alias(HOUSEHOLDS, "households", "户数", "住户数");
        alias(COMPOUND, "compound", "compoundId", "小区", "院落", "所属小区");
        alias(PROPERTY_MANAGEMENT, "propertyManagement", "has_property_management", "property", "物业", "有无物业",
                "是否有物业");
        alias(CITY, "city", "addr:city", "市");
        alias(DISTRICT, "district", "addr:district", "区", "区县");
        alias(STREET, "street", "addr:street", "road", "街路巷", "道路", "街道名");
        alias(HOUSE_NUMBER, "houseNumber", "housenumber", "addr:housenumber", "门牌", "号");
        alias(POSTCODE, "postcode", "addr:postcode", "邮编", "邮政编码");
        alias(PERSON, "person", "personId", "person_id", "人员编号", "居民编号");
        alias(CATEGORIES, "categories", "category", "人员类别", "重点人群类别", "类别");
        alias(RISK_LEVEL, "riskLevel", "risk", "风险等级");
        alias(NEEDS, "needs", "需求", "needsFound", "发现需求", "需求类型");
        alias(RESPONSIBLE, "responsible", "responsiblePerson", "包保责任人", "责任人");
        alias(SKILLS, "skills", "技能", "特长");
        alias(TEAMS, "teams", "team", "队伍", "所属队伍");
        alias(TRAVEL_MODE, "travelMode", "travel", "出行方式", "交通方式");
        alias(CAPACITY, "capacity", "服务能力", "每日可接单数");
        alias(AVAILABLE_DAYS, "availableDays", "days", "服务日", "可服务日");
        alias(AVAILABLE_FROM, "availableFrom", "from", "开始时间");
        alias(AVAILABLE_TO, "availableTo", "to", "结束时间");
        alias(RESERVE, "reserve", "机动力量", "是否机动力量");
        alias(KIND, "kind", "type", "类型", "机构类型");
        alias(OPENING_HOURS, "openingHours", "opening_hours", "营业时间", "开放时间");
        alias(ROLE, "role", "角色", "职务", "担任职务", "身份");
        alias(KEY_PERSON, "keyPerson", "key_person", "包保对象", "服务对象", "重点人员", "包保对象姓名");
        alias(KEY_PERSON_PHONE, "keyPersonPhone", "key_person_phone", "包保对象电话", "包保对象手机尾号", "对象电话",
                "对象手机尾号");
        alias(KEY_PERSON_ID_NUMBER, "keyPersonIdNumber", "key_person_id_number", "包保对象身份证号", "对象身份证号");
        alias(VALID_FROM, "validFrom", "valid_from", "起始日期", "开始日期", "任职日期", "任命日期", "生效日期");
        alias(VALID_TO, "validTo", "valid_to", "截止日期", "结束日期", "离任日期", "终止日期");
        alias(VISITED_AT, "visitedAt", "visited_at", "visitDate", "date", "走访日期", "走访时间", "巡访日期", "巡访时间",
                "随访日期", "日期", "时间");
        alias(METHOD, "method", "visitMethod", "走访方式", "巡访方式", "方式", "形式");
        alias(VISITOR, "visitor", "visitorName", "走访人", "走访人员", "巡访人", "随访人", "走访人姓名");
        alias(VISITOR_PHONE, "visitorPhone", "visitor_phone", "走访人电话", "走访人手机", "走访人手机尾号");
        alias(VISITOR_ID_NUMBER, "visitorIdNumber", "visitor_id_number", "走访人身份证号");
        alias(FINDINGS, "findings", "notes", "走访情况", "走访内容", "走访记录", "情况记录", "发现问题", "情况");
    }

    private static void alias(String field, String... names) {
        DEFAULT_ALIASES.put(field, List.of(names));
    }

    private final Map<String, String> explicit;

    private FieldMapping(Map<String, String> explicit) {
        this.explicit = Map.copyOf(explicit);
    }

    public static FieldMapping defaults() {
        return new FieldMapping(Map.of());
    }

    /** Reads a mapping file (UTF-8 properties); unknown caregrid field names are rejected. */
    public static FieldMapping load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Map<String, String> map = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            map.put(key.trim(), properties.getProperty(key).trim());
        }
        return of(map);
    }

    /** A mapping from caregrid field to source field; throws IllegalArgumentException for unknown fields. */
    public static FieldMapping of(Map<String, String> caregridToSource) {
        for (String field : caregridToSource.keySet()) {
            if (!DEFAULT_ALIASES.containsKey(field)) {
                throw new IllegalArgumentException("unknown caregrid field '" + field + "' in the mapping; known: "
                        + DEFAULT_ALIASES.keySet());
            }
        }
        return new FieldMapping(caregridToSource);
    }

    public FieldMapping with(String caregridField, String sourceField) {
        Map<String, String> map = new HashMap<>(explicit);
        map.put(caregridField, sourceField);
        return of(map);
    }

    /** The caregrid fields a mapping may name. */
    public static Collection<String> caregridFields() {
        return DEFAULT_ALIASES.keySet();
    }

    /**
     * Resolves caregrid fields against the source's field names: returns caregrid field → source field name as it
     * appears in the source. Fields without a match are absent.
     */
    Map<String, String> resolve(Collection<String> sourceFields) {
        Map<String, String> byKey = new HashMap<>();
        for (String source : sourceFields) {
            if (source != null) {
                byKey.putIfAbsent(key(source), source);
            }
        }
        Map<String, String> resolved = new HashMap<>();
        for (Map.Entry<String, List<String>> entry : DEFAULT_ALIASES.entrySet()) {
            List<String> candidates = new ArrayList<>();
            String chosen = explicit.get(entry.getKey());
            if (chosen != null) {
                candidates.add(chosen);
            } else {
                candidates.addAll(entry.getValue());
            }
            for (String candidate : candidates) {
                String match = byKey.get(key(candidate));
                if (match != null) {
                    resolved.put(entry.getKey(), match);
                    break;
                }
            }
        }
        return resolved;
    }

    /** The source field name the mapping names for a caregrid field, for messages. */
    String describe(String caregridField) {
        String chosen = explicit.get(caregridField);
        return chosen != null ? "'" + chosen + "'" : "one of " + DEFAULT_ALIASES.get(caregridField);
    }

    private static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-]", "").replace("\uFEFF", "");
    }
}
