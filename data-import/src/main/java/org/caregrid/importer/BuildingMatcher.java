package org.caregrid.importer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the building a person's address names: by external id, by code, or by name as ledgers write it
 * ("3栋", "3号楼", "三栋", "３幢" are the same building), within the compound when one is given. An ambiguous
 * name is reported rather than guessed.
 */
public final class BuildingMatcher {

    /** The building found, or null with the reason. */
    public record Match(Building building, String problem) {

        public boolean found() {
            return building != null;
        }
    }

    private final Map<String, Building> byId = new HashMap<>();
    private final Map<String, Set<Building>> byKey = new HashMap<>();

    public BuildingMatcher(Collection<Building> buildings) {
        for (Building building : buildings) {
            byId.put(building.externalId(), building);
            String compound = building.address() != null ? building.address().compound() : null;
            index(key(building.code()), building);
            index(key(building.name()), building);
            if (compound != null && building.name() != null) {
                String shortName = building.name().startsWith(compound)
                        ? building.name().substring(compound.length()) : building.name();
                index(key(compound) + "|" + key(shortName), building);
            }
        }
    }

    private void index(String key, Building building) {
        if (key != null && !key.isEmpty()) {
            byKey.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(building);
        }
    }

    /**
     * @param buildingRef the building as the source gives it (id, code or name)
     * @param compound    the compound (小区) name when the source has one, else null
     */
    public Match match(String buildingRef, String compound) {
        if (buildingRef == null || buildingRef.isBlank()) {
            return new Match(null, "no building given");
        }
        Building exact = byId.get(buildingRef.trim());
        if (exact != null) {
            return new Match(exact, null);
        }
        List<Set<Building>> tries = new ArrayList<>();
        if (compound != null && !compound.isBlank()) {
            String ref = buildingRef.trim();
            String shortRef = ref.startsWith(compound.trim()) ? ref.substring(compound.trim().length()) : ref;
            tries.add(byKey.get(key(compound) + "|" + key(shortRef)));
        }
        tries.add(byKey.get(key(buildingRef)));
        for (Set<Building> candidates : tries) {
            if (candidates == null || candidates.isEmpty()) {
                continue;
            }
            if (candidates.size() == 1) {
                return new Match(candidates.iterator().next(), null);
            }
            return new Match(null, candidates.size() + " buildings are called '" + buildingRef
                    + "': give the compound (小区) or the building code");
        }
        return new Match(null, "no building '" + buildingRef + "'" + (compound != null ? " in " + compound : ""));
    }

    private static final String CHINESE_DIGITS = "零一二三四五六七八九";

    /** A unit number as ledgers write it, comparable: "1单元", "一单元", "1" and "１" are the same unit. */
    public static String unitKey(String text) {
        return text == null ? null : key(text.strip().replaceAll("单元$", ""));
    }

    /** Half-width, no spaces, Chinese numerals as digits, and the building suffixes (号楼, 栋, 幢, 号, #) dropped. */
    public static String key(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (char c : text.strip().toCharArray()) {
            if (c >= '０' && c <= '９') {
                c = (char) ('0' + (c - '０'));
            } else if (c >= 'Ａ' && c <= 'ｚ') {
                c = (char) (c - 'Ａ' + 'A');
            }
            if (!Character.isWhitespace(c)) {
                out.append(Character.toUpperCase(c));
            }
        }
        String normal = chineseNumbers(out.toString());
        return normal.replaceAll("(号楼|号栋|栋|幢|号|楼|#|座)$", "");
    }

    /** 十 → 10, 二十三 → 23, 三 → 3 (building numbers stay below 100). */
    private static String chineseNumbers(String text) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int digit = CHINESE_DIGITS.indexOf(c);
            if (digit >= 0 || c == '十') {
                int value = 0;
                int current = 0;
                while (i < text.length() && (CHINESE_DIGITS.indexOf(text.charAt(i)) >= 0 || text.charAt(i) == '十')) {
                    char d = text.charAt(i);
                    if (d == '十') {
                        value += (current == 0 ? 1 : current) * 10;
                        current = 0;
                    } else {
                        current = CHINESE_DIGITS.indexOf(d);
                    }
                    i++;
                }
                out.append(value + current);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
