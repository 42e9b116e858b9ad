package org.caregrid.importer;

import static org.caregrid.importer.FieldMapping.*;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;

/** One function per record kind: a row in, a record out (or null with the reason reported on the row). */
final class RowMappers {

    /** Floor area per household used to estimate households from footprint and floors. */
    static final double SQUARE_METRES_PER_HOUSEHOLD = 90.0;
    private static final String LIST_SEPARATORS = "[,;，；、|/\\s]+";

    private RowMappers() {
    }

    static AdminArea adminArea(Row row) {
        String code = row.required(CODE);
        String name = row.required(NAME);
        MultiPolygon boundary = row.multiPolygon();
        if (code == null || row.isRejected()) {
            return null;
        }
        if (!code.matches("\\d{6}|\\d{9}|\\d{12}")) {
            row.reject(CODE, "'" + code + "' is not a statistical division code (12 digits)");
            return null;
        }
        if (code.length() < 12) {
            row.warn(CODE, "code '" + code + "' padded to 12 digits");
            code = (code + "000000").substring(0, 12);
        }
        AdminLevel level = adminLevel(row, code);
        String parent = row.text(PARENT_CODE);
        if (parent == null) {
            parent = parentCode(code, level);
        }
        return new AdminArea(code, level, parent, name, boundary);
    }

    private static AdminLevel adminLevel(Row row, String code) {
        String text = row.text(LEVEL);
        if (text != null) {
            switch (text.toLowerCase(Locale.ROOT)) {
                case "city", "市", "州", "市（州）", "prefecture" -> {
                    return AdminLevel.CITY;
                }
                case "district", "county", "区", "县", "区县", "区/县" -> {
                    return AdminLevel.DISTRICT;
                }
                case "street", "township", "街道", "乡", "镇", "乡镇" -> {
                    return AdminLevel.STREET;
                }
                case "community", "village", "社区", "村" -> {
                    return AdminLevel.COMMUNITY;
                }
                default -> row.warn(LEVEL, "unknown level '" + text + "'; taken from the code");
            }
        }
        return levelOfCode(code);
    }

    /** The level a 12-digit code denotes: trailing zeros mark the higher levels. */
    static AdminLevel levelOfCode(String code) {
        if (code.endsWith("00000000")) {
            return AdminLevel.CITY;
        }
        if (code.endsWith("000000")) {
            return AdminLevel.DISTRICT;
        }
        if (code.endsWith("000")) {
            return AdminLevel.STREET;
        }
        return AdminLevel.COMMUNITY;
    }

    static String parentCode(String code, AdminLevel level) {
        return switch (level) {
            case CITY -> null;
            case DISTRICT -> code.substring(0, 4) + "00000000";
            case STREET -> code.substring(0, 6) + "000000";
            case COMMUNITY -> code.substring(0, 9) + "000";
        };
    }

    static Grid grid(Row row) {
        String code = row.required(CODE);
        Polygon boundary = row.polygon();
        if (row.isRejected()) {
            return null;
        }
        String name = row.text(NAME);
        return new Grid(code, name != null ? name : code, row.text(COMMUNITY_CODE), boundary);
    }

    /** Compounds, buildings and the like are often keyed by code or name only. */
    private static String externalId(Row row, String... fallbacks) {
        String id = row.text(EXTERNAL_ID);
        for (int i = 0; id == null && i < fallbacks.length; i++) {
            id = row.text(fallbacks[i]);
        }
        if (id == null) {
            row.reject(EXTERNAL_ID, "missing required field externalId (expected a column named "
                    + "id/编号, or a code or name to identify the row)");
        }
        return id;
    }

    static Compound compound(Row row) {
        String id = externalId(row, CODE, NAME);
        Polygon boundary = row.polygon();
        if (row.isRejected()) {
            return null;
        }
        return new Compound(id, row.text(NAME), row.bool(PROPERTY_MANAGEMENT), boundary);
    }

    static Building building(Row row) {
        String id = externalId(row, CODE);
        Polygon footprint = row.polygon();
        if (row.isRejected()) {
            return null;
        }
        Integer floors = row.integer(FLOORS);
        Integer households = row.integer(HOUSEHOLDS);
        boolean estimated = false;
        if (households == null && floors != null) {
            households = estimateHouseholds(footprint, floors);
            estimated = true;
        }
        Address address = new Address(row.text(CITY), row.text(DISTRICT), row.text(STREET), row.text(HOUSE_NUMBER),
                row.text(COMPOUND), row.text(POSTCODE));
        return new Building(id, row.sourceName(), row.text(NAME), row.text(CODE), footprint, null, floors,
                households, estimated, row.text(COMPOUND), address.isEmpty() ? Address.NONE : address);
    }

    /** Households from floor area: footprint x floors / 90 m², at least one. */
    static int estimateHouseholds(Polygon footprint, int floors) {
        double floorArea = Geometries.areaSquareMetres(footprint) * Math.max(1, floors);
        return Math.max(1, (int) Math.round(floorArea / SQUARE_METRES_PER_HOUSEHOLD));
    }

    static Unit unit(Row row) {
        String building = row.required(BUILDING);
        String number = row.text(UNIT) != null ? row.text(UNIT) : row.required(NAME);
        Point entrance = row.point(false);
        if (row.isRejected()) {
            return null;
        }
        return new Unit(building, number, row.integer(HOUSEHOLDS), entrance);
    }

    static Person person(Row row) {
        String idNumber = row.text(ID_NUMBER);
        String id = row.text(EXTERNAL_ID) != null ? row.text(EXTERNAL_ID) : idNumber;
        String name = row.required(NAME);
        Point location = row.point(false);
        String building = row.text(BUILDING);
        if (id == null) {
            row.reject(EXTERNAL_ID, "missing required field: a person needs an id (编号) or an ID number (身份证号)");
        }
        if (building == null && location == null && !row.isRejected()) {
            row.reject(BUILDING, "no home: give 楼栋 + 单元 + 房号 (building, unit, room) or coordinates");
        }
        if (row.isRejected()) {
            return null;
        }
        if (idNumber != null && !IdNumbers.isValid(idNumber)) {
            row.warn(ID_NUMBER, "'" + IdNumbers.mask(idNumber) + "' is not a valid 18-digit ID number");
        }
        String phone = row.text(PHONE);
        if (phone != null && !phone.replaceAll("[\\s\\-]", "").matches("(\\+?86)?1[3-9]\\d{9}|0\\d{2,3}\\d{7,8}")) {
            row.warn(PHONE, "'" + phone + "' does not look like a Chinese phone number");
        }
        Person.Gender gender = gender(row.text(GENDER));
        if (gender == Person.Gender.UNKNOWN && idNumber != null && IdNumbers.isValid(idNumber)) {
            gender = IdNumbers.gender(idNumber);
        }
        LocalDate birth = row.date(BIRTH_DATE);
        if (birth == null && idNumber != null && IdNumbers.isValid(idNumber)) {
            birth = IdNumbers.birthDate(idNumber);
        }
        return new Person(id, name, gender, birth, phone, idNumber, building, row.text(UNIT), row.text(ROOM),
                location, false);
    }

    private static Person.Gender gender(String text) {
        if (text == null) {
            return Person.Gender.UNKNOWN;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "m", "male", "男", "1" -> Person.Gender.MALE;
            case "f", "female", "女", "2" -> Person.Gender.FEMALE;
            default -> Person.Gender.UNKNOWN;
        };
    }

    static KeyPersonProfile keyPerson(Row row) {
        String person = row.text(PERSON) != null ? row.text(PERSON)
                : row.text(EXTERNAL_ID) != null ? row.text(EXTERNAL_ID) : row.text(ID_NUMBER);
        if (person == null) {
            row.reject(PERSON, "missing required field person (人员编号 or 身份证号)");
            return null;
        }
        Set<KeyCategory> categories = EnumSet.noneOf(KeyCategory.class);
        String categoryText = row.text(CATEGORIES);
        if (categoryText != null) {
            for (String token : categoryText.split(LIST_SEPARATORS)) {
                KeyCategory category = keyCategory(token);
                if (category == null) {
                    row.warn(CATEGORIES, "unknown category '" + token + "' ignored");
                } else {
                    categories.add(category);
                }
            }
        }
        if (categories.isEmpty()) {
            row.reject(CATEGORIES, "no key-population category (人员类别)");
            return null;
        }
        Set<Need> needs = EnumSet.noneOf(Need.class);
        String needText = row.text(NEEDS);
        if (needText != null) {
            for (String token : needText.split(LIST_SEPARATORS)) {
                Need need = need(token);
                if (need == null) {
                    row.warn(NEEDS, "unknown need '" + token + "' ignored");
                } else {
                    needs.add(need);
                }
            }
        }
        return new KeyPersonProfile(person, categories, riskLevel(row), needs, row.text(RESPONSIBLE));
    }

    static KeyCategory keyCategory(String token) {
        String t = token.trim();
        for (KeyCategory category : KeyCategory.values()) {
            if (category.name().equalsIgnoreCase(t) || category.chinese().equals(t)
                    || (t.length() >= 2 && category.chinese().contains(t))) {
                return category;
            }
        }
        return null;
    }

    static Need need(String token) {
        String t = token.trim();
        for (Need need : Need.values()) {
            if (need.name().equalsIgnoreCase(t) || need.chinese().equals(t)
                    || (t.length() >= 2 && need.chinese().contains(t))) {
                return need;
            }
        }
        return null;
    }

    private static RiskLevel riskLevel(Row row) {
        String text = row.text(RISK_LEVEL);
        if (text == null) {
            return RiskLevel.MEDIUM;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "high", "高", "高风险", "3", "红" -> RiskLevel.HIGH;
            case "low", "低", "低风险", "1", "绿" -> RiskLevel.LOW;
            case "medium", "中", "中风险", "2", "黄" -> RiskLevel.MEDIUM;
            default -> {
                row.warn(RISK_LEVEL, "unknown risk level '" + text + "'; taken as medium");
                yield RiskLevel.MEDIUM;
            }
        };
    }

    static Volunteer volunteer(Row row) {
        String id = externalId(row, ID_NUMBER, PHONE);
        String name = row.required(NAME);
        Point home = row.point(false);
        if (row.isRejected()) {
            return null;
        }
        Set<String> skills = new LinkedHashSet<>();
        String skillText = row.text(SKILLS);
        if (skillText != null) {
            for (String s : skillText.split(LIST_SEPARATORS)) {
                if (!s.isBlank()) {
                    skills.add(s.trim());
                }
            }
        }
        Set<VolunteerTeam> teams = EnumSet.noneOf(VolunteerTeam.class);
        String teamText = row.text(TEAMS);
        if (teamText != null) {
            for (String token : teamText.split(LIST_SEPARATORS)) {
                VolunteerTeam team = team(token);
                if (team == null) {
                    row.warn(TEAMS, "unknown team '" + token + "' ignored");
                } else {
                    teams.add(team);
                }
            }
        }
        Integer capacity = row.integer(CAPACITY);
        Boolean reserve = row.bool(RESERVE);
        Availability availability = new Availability(days(row), time(row, AVAILABLE_FROM, LocalTime.of(9, 0)),
                time(row, AVAILABLE_TO, LocalTime.of(18, 0)));
        return new Volunteer(id, row.text(PERSON), name, row.text(PHONE), skills, teams, travelMode(row),
                capacity != null ? capacity : 3, availability, home, Boolean.TRUE.equals(reserve));
    }

    private static VolunteerTeam team(String token) {
        String t = token.trim();
        for (VolunteerTeam team : VolunteerTeam.values()) {
            if (team.name().equalsIgnoreCase(t) || team.chinese().equals(t)
                    || (t.length() >= 2 && team.chinese().contains(t))) {
                return team;
            }
        }
        return null;
    }

    private static TravelMode travelMode(Row row) {
        String text = row.text(TRAVEL_MODE);
        if (text == null) {
            return TravelMode.FOOT;
        }
        String t = text.toLowerCase(Locale.ROOT);
        if (t.contains("car") || t.contains("车") && !t.contains("自行") && !t.contains("电动")
                || t.contains("驾")) {
            return TravelMode.CAR;
        }
        if (t.contains("bike") || t.contains("bicycle") || t.contains("自行") || t.contains("电动")
                || t.contains("骑")) {
            return TravelMode.BIKE;
        }
        if (!(t.contains("foot") || t.contains("walk") || t.contains("步"))) {
            row.warn(TRAVEL_MODE, "unknown travel mode '" + text + "'; taken as on foot");
        }
        return TravelMode.FOOT;
    }

    private static final String[] ENGLISH_DAYS = {"mo", "tu", "we", "th", "fr", "sa", "su"};
    private static final String CHINESE_DAYS = "一二三四五六日";

    /** Days like "Mo-Fr", "Mo,We,Sa", "周一至周五", "1-5"; empty means every day. */
    private static Set<DayOfWeek> days(Row row) {
        String text = row.text(AVAILABLE_DAYS);
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        if (text == null) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        String normal = text.toLowerCase(Locale.ROOT).replace("周", "").replace("星期", "").replace("天", "日")
                .replace("至", "-").replace("到", "-").replace("~", "-");
        for (String part : normal.split("[,，、;\\s]+")) {
            String[] range = part.split("-");
            int from = dayIndex(range[0]);
            int to = range.length > 1 ? dayIndex(range[1]) : from;
            if (from < 0 || to < 0) {
                row.warn(AVAILABLE_DAYS, "unknown days '" + part + "' ignored");
                continue;
            }
            for (int d = from; ; d = (d + 1) % 7) {
                days.add(DayOfWeek.of(d + 1));
                if (d == to) {
                    break;
                }
            }
        }
        return days.isEmpty() ? EnumSet.allOf(DayOfWeek.class) : days;
    }

    private static int dayIndex(String token) {
        String t = token.trim();
        for (int i = 0; i < 7; i++) {
            if (t.startsWith(ENGLISH_DAYS[i])) {
                return i;
            }
        }
        if (t.length() == 1 && CHINESE_DAYS.contains(t)) {
            return CHINESE_DAYS.indexOf(t);
        }
        if (t.matches("[1-7]")) {
            return Integer.parseInt(t) - 1;
        }
        return -1;
    }

    private static LocalTime time(Row row, String field, LocalTime fallback) {
        String text = row.text(field);
        if (text == null) {
            return fallback;
        }
        try {
            String[] parts = text.replace('：', ':').split(":");
            return LocalTime.of(Integer.parseInt(parts[0].trim()), parts.length > 1 ? Integer.parseInt(parts[1].trim()) : 0);
        } catch (RuntimeException e) {
            row.warn(field, "'" + text + "' is not a time (hh:mm); using " + fallback);
            return fallback;
        }
    }

    static Facility facility(Row row) {
        String kindText = row.required(KIND);
        String name = row.text(NAME);
        Point location = row.point(true);
        if (row.isRejected()) {
            return null;
        }
        FacilityKind kind = FacilityKind.parse(kindText);
        if (kind == null) {
            kind = switch (kindText.toLowerCase(Locale.ROOT)) {
                case "doctors", "doctor", "医务室", "门诊部" -> FacilityKind.CLINIC;
                case "药房", "大药房" -> FacilityKind.PHARMACY;
                case "卫生室" -> FacilityKind.VILLAGE_CLINIC;
                case "社区卫生服务站" -> FacilityKind.COMMUNITY_HEALTH_CENTRE;
                default -> null;
            };
        }
        if (kind == null) {
            row.reject(KIND, "unknown facility kind '" + kindText + "'; one of pharmacy, clinic, village_clinic, "
                    + "community_health_centre, hospital, social_work_station, volunteer_service_station, "
                    + "community_office (or 药店, 诊所, ...)");
            return null;
        }
        String id = row.text(EXTERNAL_ID);
        if (id == null) {
            if (name == null) {
                row.reject(EXTERNAL_ID, "a facility needs an id (编号) or a name (名称)");
                return null;
            }
            id = kind.name().toLowerCase(Locale.ROOT) + ":" + name;
        }
        return new Facility(id, kind, name, row.text(OPENING_HOURS), location);
    }

    static MicroOrganisation microOrganisation(Row row) {
        String name = row.required(NAME);
        String id = externalId(row, CODE, NAME);
        if (row.isRejected()) {
            return null;
        }
        return new MicroOrganisation(id, name, row.text(KIND), row.text(COMMUNITY_CODE), row.text(COMPOUND));
    }

    static RosterEntry assignment(Row row) {
        String roleText = row.required(ROLE);
        AssignmentRole role = roleText == null ? null : rosterRole(roleText);
        if (roleText != null && role == null) {
            row.reject(ROLE, "unknown role '" + roleText + "'; one of building_head (楼栋长), unit_head (单元长), "
                    + "responsible (包保责任人)");
        }
        String building = role == AssignmentRole.RESPONSIBLE ? row.text(BUILDING) : row.required(BUILDING);
        String unit = role == AssignmentRole.UNIT_HEAD ? row.required(UNIT) : row.text(UNIT);
        RosterEntry.PersonRef person = personRef(row, NAME, PHONE, ID_NUMBER);
        RosterEntry.PersonRef keyPerson = role == AssignmentRole.RESPONSIBLE
                ? personRef(row, KEY_PERSON, KEY_PERSON_PHONE, KEY_PERSON_ID_NUMBER) : null;
        LocalDate from = strictDate(row, VALID_FROM);
        LocalDate to = strictDate(row, VALID_TO);
        if (from != null && to != null && to.isBefore(from)) {
            row.reject(VALID_TO, "ends (" + to + ") before it starts (" + from + ")");
        }
        if (row.isRejected()) {
            return null;
        }
        return new RosterEntry(row.number(), role, building, row.text(COMPOUND), unit, person, keyPerson, from, to);
    }

    private static AssignmentRole rosterRole(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        return switch (t) {
            case "building_head", "楼栋长", "楼长", "栋长" -> AssignmentRole.BUILDING_HEAD;
            case "unit_head", "单元长" -> AssignmentRole.UNIT_HEAD;
            case "responsible", "包保责任人", "包保人", "包保", "责任人" -> AssignmentRole.RESPONSIBLE;
            default -> null;
        };
    }

    /**
     * A name with a phone (whole, or only its last four digits), or an ID number (with or without the name). A name
     * alone is not enough: two residents of a community often share one.
     */
    private static RosterEntry.PersonRef personRef(Row row, String nameField, String phoneField, String idField) {
        String idNumber = row.text(idField);
        String name = idNumber != null ? row.text(nameField) : row.required(nameField);
        String phone = row.text(phoneField);
        String tail = null;
        if (phone != null) {
            String digits = phone.replaceAll("\\D", "");
            if (digits.length() < 4) {
                row.reject(phoneField, "'" + phone + "' has fewer than four digits: give the phone or its last four");
            } else {
                tail = digits.substring(digits.length() - 4);
            }
        }
        if (idNumber != null && !IdNumbers.isValid(idNumber)) {
            row.reject(idField, "'" + IdNumbers.mask(idNumber) + "' is not a valid 18-digit ID number");
        }
        if (phone == null && idNumber == null) {
            row.reject(phoneField, "who is " + (name != null ? "'" + name + "'" : "meant") + "? give a phone (or its "
                    + "last four digits) or an ID number besides the name");
        }
        return new RosterEntry.PersonRef(name, tail, idNumber == null ? null : idNumber.toUpperCase(Locale.ROOT));
    }

    /** A date that does not read as one is an error here: a roster's dates decide who is in office. */
    private static LocalDate strictDate(Row row, String field) {
        LocalDate date = row.date(field);
        if (date == null && row.text(field) != null) {
            row.reject(field, "'" + row.text(field) + "' is not a date (yyyy-mm-dd)");
        }
        return date;
    }

    /**
     * A line of a visit ledger (走访台账). Unknown needs and methods fail the row, as the API refuses them; the
     * server checks the rest (who the people are, dates in the past, storable findings).
     */
    static LedgerEntry visit(Row row) {
        RosterEntry.PersonRef person = personRef(row, NAME, PHONE, ID_NUMBER);
        Moment moment = moment(row, VISITED_AT);
        String methodText = row.required(METHOD);
        VisitMethod method = methodText == null ? null : VisitMethod.fromLabel(methodText);
        if (methodText != null && method == null) {
            row.reject(METHOD, "unknown method '" + methodText + "'; one of door (上门), phone (电话), sms (短信), "
                    + "wechat (微信, 视频)");
        }
        RosterEntry.PersonRef visitor = row.text(VISITOR) == null && row.text(VISITOR_PHONE) == null
                && row.text(VISITOR_ID_NUMBER) == null ? null : personRef(row, VISITOR, VISITOR_PHONE,
                VISITOR_ID_NUMBER);
        Set<Need> needs = EnumSet.noneOf(Need.class);
        String needText = row.text(NEEDS);
        if (needText != null) {
            for (String token : needText.split(LIST_SEPARATORS)) {
                Need need = token.isBlank() ? null : need(token);
                if (need == null && !token.isBlank()) {
                    row.reject(NEEDS, "unknown need '" + token + "'; one of the needs list (送药到户, 用餐代订, "
                            + "物资代购, 陪护照看, 心理疏导, 急诊转运, 上门清运, 课业辅导) or its codes");
                } else if (need != null) {
                    needs.add(need);
                }
            }
        }
        if (row.isRejected()) {
            return null;
        }
        return new LedgerEntry(row.number(), person, row.text(BUILDING), moment.local(), moment.offset(), method,
                visitor, row.text(FINDINGS), needs);
    }

    /** A local date-time and the offset the text gave (null when none). */
    record Moment(LocalDateTime local, ZoneOffset offset) {
    }

    /** 2026-11-05, 2026/11/5, 2026.11.5, 2026年11月5日, 20261105, each with an optional time and offset. */
    private static final Pattern DATE_TIME = Pattern.compile("(\\d{4})(?:[-/.年](\\d{1,2})[-/.月](\\d{1,2})日?|(\\d{2})(\\d{2}))"
            + "(?:(?:[T\\s]+|日)(\\d{1,2})[:：时点](\\d{1,2})(?:[:：分](\\d{1,2})(?:\\.\\d+)?秒?)?分?)?"
            + "\\s*(Z|[+-]\\d{2}:?\\d{2})?");

    /** Excel counts days from 1899-12-30; a serial outside 2000–2099 is not a ledger's date. */
    private static final LocalDate EXCEL_EPOCH = LocalDate.of(1899, 12, 30);
    private static final double EXCEL_MIN = 36526; // 2000-01-01
    private static final double EXCEL_MAX = 73051; // 2100-01-01

    /**
     * A date or date-time as real ledgers write it, or an Excel serial (a date cell read as a number); a value that
     * is none of them fails the row: the date decides whether a visit is overdue.
     */
    static Moment moment(Row row, String field) {
        String text = row.required(field);
        if (text == null) {
            return new Moment(null, null);
        }
        String t = text.strip().replace('　', ' ');
        Matcher m = DATE_TIME.matcher(t);
        try {
            if (m.matches()) {
                LocalDate date = m.group(2) != null
                        ? LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)))
                        : LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)));
                LocalTime time = m.group(6) == null ? LocalTime.MIDNIGHT : LocalTime.of(Integer.parseInt(m.group(6)),
                        Integer.parseInt(m.group(7)), m.group(8) == null ? 0 : Integer.parseInt(m.group(8)));
                ZoneOffset offset = m.group(9) == null ? null : ZoneOffset.of(m.group(9).equals("Z") ? "Z"
                        : m.group(9).length() == 5 ? m.group(9).substring(0, 3) + ":" + m.group(9).substring(3)
                        : m.group(9));
                return new Moment(LocalDateTime.of(date, time), offset);
            }
            if (t.matches("\\d{5}(\\.\\d+)?")) {
                double serial = Double.parseDouble(t);
                if (serial >= EXCEL_MIN && serial < EXCEL_MAX) {
                    long seconds = Math.round((serial - Math.floor(serial)) * 86_400);
                    return new Moment(EXCEL_EPOCH.plusDays((long) Math.floor(serial)).atStartOfDay()
                            .plusSeconds(seconds), null);
                }
            }
        } catch (java.time.DateTimeException e) {
            row.reject(field, "'" + text + "' is not a date: " + e.getMessage());
            return new Moment(null, null);
        }
        row.reject(field, "'" + text + "' is not a date (2026-11-05, 2026/11/5, 2026年11月5日, optionally with a time "
                + "14:30)");
        return new Moment(null, null);
    }
}
