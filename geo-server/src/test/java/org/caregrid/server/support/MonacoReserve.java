package org.caregrid.server.support;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The reserve force (机动力量) of the Monaco fixture's grid 1, for the call-out tests: street-tier volunteers
 * 7 (Rue des Orangers 2), 30 (Lujerneta 2) and 31 (Fontvieille 24, the only first-aider), county-tier unit
 * staff 32 (a 'reserve' assignment, no volunteer; Quai Rey 28) and city-tier volunteer 33 (Orangers 2).
 * Load after fixtures/monaco.sql.
 */
public final class MonacoReserve {

    private MonacoReserve() {
    }

    public static void load(JdbcClient jdbc) {
        jdbc.sql("""
                INSERT INTO person (id, name, phone, building_id, room, area_code, grid_id) OVERRIDING SYSTEM VALUE VALUES
                  (30, '钱街道', '13900000030', 3, '302', '990101001001', 1),
                  (31, '冯急救', '13900000031', 4, '303', '990101001001', 1),
                  (32, '陈单位', '13900000032', 2, '304', '990101001001', 1),
                  (33, '褚市级', '13900000033', 1, '305', '990101001001', 1)
                """).update();
        jdbc.sql("""
                INSERT INTO volunteer (person_id, skills, teams, travel_mode, home, is_reserve, reserve_tier) VALUES
                  (30, '{}', '{}', 'foot', ST_SetSRID(ST_MakePoint(7.4163873, 43.7298367), 4326), true, 'street'),
                  (31, '{first_aid,driving}', '{}', 'foot', ST_SetSRID(ST_MakePoint(7.4147931, 43.7288716), 4326), true, 'street'),
                  (33, '{}', '{}', 'foot', ST_SetSRID(ST_MakePoint(7.4203302, 43.7335118), 4326), true, 'city')
                """).update();
        jdbc.sql("UPDATE volunteer SET is_reserve = true, reserve_tier = 'street' WHERE person_id = 7").update();
        jdbc.sql("""
                INSERT INTO role_assignment (person_id, role, scope_type, scope_area_code, tier, valid_from)
                VALUES (32, 'reserve', 'area', '990101001001', 'county', DATE '2026-01-01')
                """).update();
    }
}
