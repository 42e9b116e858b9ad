package org.caregrid.importer.demo;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.caregrid.importer.AssignmentRole;
import org.caregrid.importer.Availability;
import org.caregrid.importer.DeliveryRequest;
import org.caregrid.importer.Head;
import org.caregrid.importer.Household;
import org.caregrid.importer.IdNumbers;
import org.caregrid.importer.KeyCategory;
import org.caregrid.importer.KeyPersonProfile;
import org.caregrid.importer.Need;
import org.caregrid.importer.Person;
import org.caregrid.importer.RiskLevel;
import org.caregrid.importer.TravelMode;
import org.caregrid.importer.Unit;
import org.caregrid.importer.Visit;
import org.caregrid.importer.VisitMethod;
import org.caregrid.importer.Volunteer;
import org.caregrid.importer.VolunteerTeam;
import org.caregrid.importer.demo.Plans.BuildingPlan;

/**
 * Fills one building with people. Each building has its own random stream derived from the seed and the
 * building's index, so the population can be regenerated building by building, in any order, identically.
 * Proportions follow published Chinese urban figures loosely: ~20 % aged 60+, ~8 % key persons.
 */
final class Populator {

    private static final String[] SKILLS = {"驾驶", "急救", "心理咨询", "护理", "理发", "家电维修", "法律咨询", "计算机",
            "烹饪", "陪伴聊天", "课业辅导", "手语"};
    private static final String[] FINDINGS = {"情况良好", "身体状况稳定", "需要送药", "独自在家，情绪稳定",
            "家属在场，无特殊需求", "反映血压偏高，已提醒就医", "需要代购生活物资", "已电话联系家属"};
    private static final String[] MEDICINES = {"降压药（硝苯地平缓释片）", "降糖药（二甲双胍）", "胰岛素", "阿司匹林肠溶片",
            "速效救心丸", "布洛芬缓释胶囊", "止咳糖浆", "奥氮平片"};

    private record Resident(Person person, int age, int unit, int householdSize, boolean householdAllElderly) {
    }

    private final long seed;
    private final LocalDate today;

    Populator(long seed, LocalDate today) {
        this.seed = seed;
        this.today = today;
    }

    void populate(BuildingPlan plan, PopulationVisitor visitor) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + plan.index * 0xBF58476D1CE4E5B9L);
        String buildingId = plan.building.externalId();
        List<Resident> residents = new ArrayList<>();
        int personSerial = 0;
        int householdsMade = 0;
        for (int u = 0; u < plan.unitCount; u++) {
            Unit unit = plan.units.get(u);
            for (int floor = 1; floor <= plan.floors; floor++) {
                for (int door = 1; door <= plan.householdsPerFloor && householdsMade < plan.maxHouseholds; door++) {
                    householdsMade++;
                    String room = floor + String.format("%02d", door);
                    int size = householdSize(random);
                    visitor.household(new Household(buildingId, unit.number(), room, size));
                    int[] ages = ages(random, size);
                    boolean allElderly = true;
                    for (int age : ages) {
                        allElderly &= age >= 60;
                    }
                    String surname = ChineseNames.surname(random);
                    for (int m = 0; m < size; m++) {
                        boolean male = m == 0 ? random.nextBoolean() : m == 1 ? random.nextDouble() < 0.5
                                : random.nextBoolean();
                        // the household's children carry the family surname; spouses keep their own
                        String family = m == 1 ? ChineseNames.surname(random) : surname;
                        Person person = person(random, buildingId + "-" + (++personSerial), family, male, ages[m],
                                unit.number(), room);
                        visitor.person(person);
                        residents.add(new Resident(person, ages[m], u, size, allElderly));
                    }
                }
            }
        }
        String buildingHead = null;
        if (random.nextDouble() < 0.88) { // realistic gap: about one building in eight has no building head
            Resident head = pickAdult(random, residents, -1);
            if (head != null) {
                buildingHead = head.person().externalId();
                visitor.head(new Head(AssignmentRole.BUILDING_HEAD, buildingId, null, buildingHead));
            }
        }
        String[] unitHeads = new String[plan.unitCount];
        for (int u = 0; u < plan.unitCount; u++) {
            if (plan.unitCount == 1 && buildingHead != null && random.nextDouble() < 0.5) {
                unitHeads[u] = buildingHead; // a one-unit building's head often serves as unit head too
            } else if (random.nextDouble() < 0.8) {
                Resident head = pickAdult(random, residents, u);
                unitHeads[u] = head == null ? null : head.person().externalId();
            }
            if (unitHeads[u] != null) {
                visitor.head(new Head(AssignmentRole.UNIT_HEAD, buildingId, plan.units.get(u).number(), unitHeads[u]));
            }
        }
        for (Resident resident : residents) {
            keyPerson(random, resident, buildingHead, unitHeads[resident.unit()], visitor);
            if (resident.age() >= 18 && resident.age() <= 75 && random.nextDouble() < 0.03) {
                visitor.volunteer(volunteer(random, resident, plan.units.get(resident.unit()).entrance()));
            }
        }
    }

    private static int householdSize(SplittableRandom random) {
        double u = random.nextDouble();
        return u < 0.18 ? 1 : u < 0.50 ? 2 : u < 0.78 ? 3 : u < 0.92 ? 4 : 5;
    }

    /** Ages of a household: single people skew old, couples young or old, larger households have children. */
    private static int[] ages(SplittableRandom random, int size) {
        int[] ages = new int[size];
        if (size == 1) {
            ages[0] = random.nextDouble() < 0.45 ? 60 + random.nextInt(36) : 20 + random.nextInt(40);
            return ages;
        }
        boolean olderCouple = size == 2 && random.nextDouble() < 0.5;
        ages[0] = olderCouple ? 58 + random.nextInt(30) : 26 + random.nextInt(26);
        ages[1] = Math.max(20, ages[0] + random.nextInt(7) - 3);
        for (int m = 2; m < size; m++) {
            if (m == 4 || (m == 3 && random.nextDouble() < 0.6)) {
                ages[m] = Math.min(99, ages[0] + 24 + random.nextInt(12)); // a grandparent
            } else {
                ages[m] = Math.max(0, ages[0] - 22 - random.nextInt(12)); // a child
            }
        }
        return ages;
    }

    private Person person(SplittableRandom random, String serial, String surname, boolean male, int age, String unit,
                          String room) {
        LocalDate birth = today.minusYears(age).minusDays(1 + random.nextInt(364));
        int sequence = random.nextInt(500) * 2 + (male ? 1 : 0);
        String first17 = "510107" + String.format("%04d%02d%02d", birth.getYear(), birth.getMonthValue(),
                birth.getDayOfMonth()) + String.format("%03d", sequence).substring(0, 3);
        String idNumber = first17 + IdNumbers.checkCharacter(first17);
        String phone = age < 12 ? null : "1" + "35789".charAt(random.nextInt(5)) + String.format("%09d",
                random.nextInt(1_000_000_000));
        String id = personId(serial);
        return new Person(id, surname + ChineseNames.givenName(random, male),
                male ? Person.Gender.MALE : Person.Gender.FEMALE, birth, phone, idNumber,
                serial.substring(0, serial.lastIndexOf('-')), unit, room, null, true);
    }

    /** "demo:b:000012-3" → "demo:p:000012-3"; other buildings' people are "synthetic:p:<building id>-3". */
    private static String personId(String serial) {
        return serial.startsWith("demo:b:") ? "demo:p:" + serial.substring("demo:b:".length())
                : "synthetic:p:" + serial;
    }

    private static Resident pickAdult(SplittableRandom random, List<Resident> residents, int unit) {
        List<Resident> candidates = new ArrayList<>();
        for (Resident r : residents) {
            if (r.age() >= 25 && r.age() <= 72 && (unit < 0 || r.unit() == unit)) {
                candidates.add(r);
            }
        }
        return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
    }

    private void keyPerson(SplittableRandom random, Resident resident, String buildingHead, String unitHead,
                           PopulationVisitor visitor) {
        int age = resident.age();
        Person person = resident.person();
        Set<KeyCategory> categories = EnumSet.noneOf(KeyCategory.class);
        if (age >= 60) {
            if (resident.householdSize() == 1 && random.nextDouble() < 0.6) {
                categories.add(KeyCategory.ELDERLY_ALONE);
            } else if (resident.householdSize() == 2 && resident.householdAllElderly() && random.nextDouble() < 0.3) {
                categories.add(KeyCategory.ELDERLY_EMPTY_NEST);
            }
            if (age >= 80 && random.nextDouble() < 0.7) {
                categories.add(KeyCategory.ELDERLY_VERY_OLD);
            }
            if (random.nextDouble() < 0.03) {
                categories.add(KeyCategory.ELDERLY_DISABLED);
            }
            if (!categories.isEmpty() && random.nextDouble() < 0.4 || random.nextDouble() < 0.04) {
                categories.add(KeyCategory.CHRONIC_CONDITION);
            }
        }
        if (age < 16) {
            double u = random.nextDouble();
            if (u < 0.004) {
                categories.add(KeyCategory.CHILD_LEFT_BEHIND);
            } else if (u < 0.0045) {
                categories.add(KeyCategory.CHILD_ORPHAN);
            } else if (u < 0.0055) {
                categories.add(KeyCategory.CHILD_UNSUPPORTED);
            } else if (u < 0.0075) {
                categories.add(KeyCategory.CHILD_DISABLED);
            }
        }
        if (person.gender() == Person.Gender.FEMALE && age >= 22 && age <= 40 && random.nextDouble() < 0.02) {
            categories.add(KeyCategory.PREGNANT_POSTPARTUM);
        }
        if (age >= 16 && random.nextDouble() < 0.006) {
            categories.add(KeyCategory.DISABLED_IN_DIFFICULTY);
        }
        if (age >= 18 && random.nextDouble() < 0.008) {
            categories.add(KeyCategory.MINIMUM_ALLOWANCE);
        }
        if (age >= 18 && random.nextDouble() < 0.0015) {
            categories.add(KeyCategory.EXTREME_POVERTY);
        }
        if (age >= 18 && random.nextDouble() < 0.004) {
            categories.add(KeyCategory.SEVERE_MENTAL_DISORDER);
        }
        if (random.nextDouble() < 0.003) {
            categories.add(KeyCategory.HOME_TREATMENT);
        }
        if (categories.isEmpty()) {
            return;
        }
        RiskLevel risk = risk(categories, age);
        Set<Need> needs = needs(random, categories);
        // the responsible person (包保责任人): unit head, else building head; sometimes nobody yet
        String responsible = random.nextDouble() < 0.05 ? null : unitHead != null ? unitHead : buildingHead;
        if (person.externalId().equals(responsible)) {
            responsible = buildingHead != null && !buildingHead.equals(responsible) ? buildingHead : null;
        }
        visitor.keyPerson(new KeyPersonProfile(person.externalId(), categories, risk, needs, responsible));
        visits(random, person.externalId(), responsible, risk, visitor);
        if (needs.contains(Need.MEDICINE_DELIVERY) && random.nextDouble() < 0.06) {
            visitor.deliveryRequest(new DeliveryRequest(person.externalId().replaceFirst(":p:", ":r:"),
                    person.externalId(), today.atTime(LocalTime.of(7, 30)).plusMinutes(random.nextInt(600)),
                    MEDICINES[random.nextInt(MEDICINES.length)]));
        }
    }

    private static RiskLevel risk(Set<KeyCategory> categories, int age) {
        if (categories.contains(KeyCategory.ELDERLY_DISABLED) || categories.contains(KeyCategory.SEVERE_MENTAL_DISORDER)
                || categories.contains(KeyCategory.HOME_TREATMENT) || categories.contains(KeyCategory.CHILD_UNSUPPORTED)
                || categories.contains(KeyCategory.ELDERLY_ALONE) && age >= 80) {
            return RiskLevel.HIGH;
        }
        if (categories.contains(KeyCategory.ELDERLY_ALONE) || categories.contains(KeyCategory.ELDERLY_VERY_OLD)
                || categories.contains(KeyCategory.DISABLED_IN_DIFFICULTY)
                || categories.contains(KeyCategory.PREGNANT_POSTPARTUM) || categories.size() > 1) {
            return RiskLevel.MEDIUM;
        }
        return RiskLevel.LOW;
    }

    private static Set<Need> needs(SplittableRandom random, Set<KeyCategory> categories) {
        Set<Need> needs = EnumSet.noneOf(Need.class);
        for (KeyCategory category : categories) {
            switch (category) {
                case ELDERLY_ALONE, ELDERLY_EMPTY_NEST, ELDERLY_VERY_OLD -> {
                    if (random.nextDouble() < 0.5) {
                        needs.add(Need.MEDICINE_DELIVERY);
                    }
                    if (random.nextDouble() < 0.3) {
                        needs.add(Need.MEAL_ORDERING);
                    }
                    if (random.nextDouble() < 0.2) {
                        needs.add(Need.SHOPPING);
                    }
                    if (random.nextDouble() < 0.3) {
                        needs.add(Need.COMPANIONSHIP);
                    }
                    if (random.nextDouble() < 0.1) {
                        needs.add(Need.GARBAGE_PICKUP);
                    }
                }
                case ELDERLY_DISABLED, DISABLED_IN_DIFFICULTY, CHILD_DISABLED -> {
                    needs.add(Need.COMPANIONSHIP);
                    needs.add(Need.MEDICAL_REFERRAL);
                }
                case SEVERE_MENTAL_DISORDER -> {
                    needs.add(Need.PSYCHOLOGICAL_SUPPORT);
                    needs.add(Need.MEDICINE_DELIVERY);
                }
                case HOME_TREATMENT, CHRONIC_CONDITION -> needs.add(Need.MEDICINE_DELIVERY);
                case CHILD_LEFT_BEHIND, CHILD_ORPHAN, CHILD_UNSUPPORTED -> {
                    needs.add(Need.HOMEWORK_HELP);
                    needs.add(Need.PSYCHOLOGICAL_SUPPORT);
                }
                case PREGNANT_POSTPARTUM -> needs.add(Need.MEDICAL_REFERRAL);
                case MINIMUM_ALLOWANCE, EXTREME_POVERTY -> needs.add(Need.SHOPPING);
            }
        }
        if (needs.isEmpty()) {
            needs.add(Need.COMPANIONSHIP);
        }
        return needs;
    }

    /** 1–4 past visits at the risk level's interval; about one key person in seven is overdue. */
    private void visits(SplittableRandom random, String personId, String visitor, RiskLevel risk,
                        PopulationVisitor sink) {
        int interval = risk.visitIntervalDays();
        boolean overdue = random.nextDouble() < 0.14;
        LocalDate last = overdue ? today.minusDays(interval + 1 + random.nextInt(45))
                : today.minusDays(random.nextInt(interval));
        int count = 1 + random.nextInt(4);
        for (int v = count - 1; v >= 0; v--) {
            LocalDate date = last.minusDays((long) v * interval + random.nextInt(3));
            double u = random.nextDouble();
            VisitMethod method = u < 0.55 ? VisitMethod.DOOR : u < 0.8 ? VisitMethod.PHONE
                    : u < 0.95 ? VisitMethod.WECHAT : VisitMethod.SMS;
            sink.visit(new Visit(personId.replaceFirst(":p:", ":v:") + "-" + (count - v), personId, visitor,
                    date, method, FINDINGS[random.nextInt(FINDINGS.length)]));
        }
    }

    private static Volunteer volunteer(SplittableRandom random, Resident resident,
                                       org.locationtech.jts.geom.Point home) {
        Person person = resident.person();
        Set<VolunteerTeam> teams = EnumSet.noneOf(VolunteerTeam.class);
        if (random.nextDouble() < 0.3) {
            teams.add(VolunteerTeam.MEDICINE_DELIVERY);
        }
        if (resident.age() >= 55 && random.nextDouble() < 0.7) {
            teams.add(VolunteerTeam.SILVER_AGE);
        }
        if (resident.age() <= 35 && random.nextDouble() < 0.6) {
            teams.add(VolunteerTeam.YOUTH);
        }
        if (random.nextDouble() < 0.04) {
            teams.add(VolunteerTeam.SOCIAL_WORKER);
        }
        Set<String> skills = new LinkedHashSet<>();
        int skillCount = 1 + random.nextInt(3);
        for (int i = 0; i < skillCount; i++) {
            skills.add(SKILLS[random.nextInt(SKILLS.length)]);
        }
        double u = random.nextDouble();
        TravelMode mode = u < 0.45 ? TravelMode.FOOT : u < 0.85 ? TravelMode.BIKE : TravelMode.CAR;
        Availability availability = switch (random.nextInt(4)) {
            case 0 -> new Availability(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(18, 0),
                    LocalTime.of(21, 0));
            case 1 -> new Availability(EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), LocalTime.of(9, 0),
                    LocalTime.of(17, 0));
            case 2 -> new Availability(EnumSet.allOf(DayOfWeek.class), LocalTime.of(8, 0), LocalTime.of(12, 0));
            default -> new Availability(EnumSet.allOf(DayOfWeek.class), LocalTime.of(9, 0), LocalTime.of(18, 0));
        };
        return new Volunteer(person.externalId().replaceFirst(":p:", ":vol:"), person.externalId(), person.name(),
                person.phone(), skills, teams, mode, 2 + random.nextInt(7), availability, home,
                random.nextDouble() < 0.3);
    }
}
