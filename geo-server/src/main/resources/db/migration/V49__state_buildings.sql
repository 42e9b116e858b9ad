-- The lists of buildings behind a key-person figure read the maintained state alone. They took each person's
-- building from `person`, a join with every resident: 0.36–0.71 s for the 1 M-resident district's page and
-- 4.6–7.4 s for the 10 M city's. The building is now kept beside each key person and each responsible-distance
-- stretch, written by the same refresh as their place (a person who moves is refreshed already).
ALTER TABLE coverage_key_person ADD COLUMN building_id bigint;
ALTER TABLE coverage_responsible ADD COLUMN building_id bigint;

UPDATE coverage_key_person c SET building_id = p.building_id
  FROM person p WHERE p.id = c.person_id AND p.building_id IS NOT NULL;
UPDATE coverage_responsible c SET building_id = k.building_id
  FROM coverage_key_person k WHERE k.person_id = c.person_id AND k.building_id IS NOT NULL;

-- Indexes of the state that no reading can use, each written on every change of the state and taking disk beside
-- the persons table (idx_scan 0 through `bench coverage` at 1 M residents): the state's homes are read by person,
-- never searched by place (the register's are); a place's freshness is found in the pass that counts its figures; units are
-- refreshed by id. The area indexes stay: a street's or a community's first counts go by area code.
DROP INDEX coverage_key_person_home_idx;
DROP INDEX coverage_key_person_pharmacy_fresh_idx;
DROP INDEX coverage_key_person_walks_fresh_idx;
DROP INDEX coverage_unit_building_idx;

-- The overdue list's order (due day, then person) from an index of the due day alone: many persons share a day,
-- so the index deduplicates (0.8 MB at 1 M residents against V43's 3.4 MB), and a page sorts
-- only the persons of its last day by id (an incremental sort).
DROP INDEX coverage_key_person_due_order_idx;
CREATE INDEX coverage_key_person_due_day_idx ON coverage_key_person (due_on);

-- The pharmacy upkeep of a whole district's walks (the first refresh writes 106 731 rows at 1 M residents) is costed
-- high enough to set off PostgreSQL's JIT, whose compiling took 0.29 s of the 2.2 s update; its work is row by row.
ALTER FUNCTION coverage_refresh_pharmacy(bigint[]) SET jit = off;

-- As in V29, with the building.
CREATE OR REPLACE FUNCTION coverage_refresh_key_persons(ids bigint[]) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET plan_cache_mode = force_custom_plan AS
$$
BEGIN
    PERFORM 1 FROM key_person WHERE person_id = ANY (ids) ORDER BY person_id FOR NO KEY UPDATE;
    PERFORM coverage_count_grid_tally(ids, -1);
    DELETE FROM coverage_key_person WHERE person_id = ANY (ids);
    DELETE FROM coverage_responsible WHERE person_id = ANY (ids);

    INSERT INTO coverage_key_person (person_id, grid_id, area_code, home, medicine_need, responsible_days,
                                     registered_on, interval_days, last_visit_on, due_on, visit_ok_days,
                                     pharmacy_status, estimate_facility_id, estimate_m, pharmacy_minutes, pharmacy_ok,
                                     pharmacy_computed_at, walks_computed_at, closed_on, building_id)
    SELECT k.person_id, p.grid_id, p.area_code, h.home, 'medicine_delivery' = ANY (k.needs),
           coalesce(ra.days, '{}'),
           k.registered_on, i.days, lv.last_day, coalesce(lv.last_day, k.registered_on) + i.days,
           -- ok from each visit day to its due day; before the first visit, up to the registration's due day
           coalesce(lv.ok_days, '{}') + datemultirange(daterange(NULL, least(k.registered_on + i.days + 1, lv.first_day))),
           n.status, e.facility_id, e.metres,
           CASE WHEN n.status = 'reached' THEN n.duration_s / 60.0
                WHEN n.status IS NULL THEN e.metres * s.detour_factor / s.walking_speed / 60.0 END,
           CASE WHEN n.status = 'reached' THEN n.duration_s / 60.0
                WHEN n.status IS NULL THEN e.metres * s.detour_factor / s.walking_speed / 60.0 END <= s.pharmacy_max_min
             AND coalesce(n.status, 'reached') = 'reached',
           n.computed_at, w.computed_at, p.closed_on, p.building_id
      FROM key_person k
      JOIN person p ON p.id = k.person_id
      LEFT JOIN unit pu ON pu.id = p.unit_id
      LEFT JOIN building pb ON pb.id = p.building_id
      CROSS JOIN coverage_setting s
      CROSS JOIN LATERAL (SELECT coalesce(p.location, pu.entrance, pb.entrance) AS home) h
      CROSS JOIN LATERAL (SELECT coverage_visit_interval(k.visit_interval_days, k.risk_level, k.categories, s) AS days) i
      LEFT JOIN LATERAL (SELECT range_agg(daterange(r.valid_from, r.valid_to, '[]')) AS days FROM role_assignment r
                          WHERE r.role = 'responsible' AND r.scope_person_id = k.person_id) ra ON true
      LEFT JOIN LATERAL (SELECT min(vd.d) AS first_day, max(vd.d) AS last_day,
                                range_agg(daterange(vd.d, vd.d + i.days, '[]')) AS ok_days
                           FROM (SELECT (v.visited_at AT TIME ZONE s.time_zone)::date AS d FROM visit v
                                  WHERE v.key_person_id = k.person_id) vd) lv ON true
      LEFT JOIN nearest_facility n ON n.person_id = k.person_id AND n.facility_group = 'health'
      -- the straight-line estimate, only for persons with no stored walk
      LEFT JOIN LATERAL (SELECT f.id AS facility_id, ST_Distance(h.home::geography, f.location::geography) AS metres
                           FROM facility f
                          WHERE n.status IS NULL AND h.home IS NOT NULL
                            AND f.kind IN ('pharmacy', 'clinic', 'village_clinic', 'community_health_centre')
                          ORDER BY f.location <-> h.home LIMIT 1) e ON true
      LEFT JOIN LATERAL (SELECT min(rw.computed_at) AS computed_at FROM responsible_walk rw
                          WHERE rw.key_person_id = k.person_id) w ON true
     WHERE k.person_id = ANY (ids);

    -- responsible-distance: cut each person's days where an assignment starts or ends, and measure each
    -- stretch. Per person, by index: a join of all the persons' stretches with all their assignments could
    -- be planned as a nested loop over both.
    INSERT INTO coverage_responsible (person_id, grid_id, area_code, days, ok, estimate, metres, building_id)
    SELECT c.person_id, c.grid_id, c.area_code, daterange(st.lo, st.hi) * daterange(NULL, c.closed_on, '[]'),
           coalesce(m.walk_m, CASE WHEN m.pairs = 0 THEN m.line_m END) <= s.responsible_max_m,
           m.pairs = 0,
           CASE WHEN m.pairs > 0 THEN m.walk_m ELSE m.line_m END, c.building_id
      FROM coverage_key_person c
     CROSS JOIN coverage_setting s
     CROSS JOIN LATERAL (
           SELECT cut.d AS lo, lead(cut.d) OVER (ORDER BY cut.d) AS hi
             FROM (SELECT r.valid_from FROM role_assignment r
                    WHERE r.role = 'responsible' AND r.scope_person_id = c.person_id
                   UNION
                   SELECT r.valid_to + 1 FROM role_assignment r
                    WHERE r.role = 'responsible' AND r.scope_person_id = c.person_id AND r.valid_to IS NOT NULL) cut(d)) st
     CROSS JOIN LATERAL (
           SELECT min(ST_Distance(c.home::geography, coalesce(v.home, rp.location, ru.entrance, rb.entrance)::geography))
                    * s.detour_factor AS line_m,
                  count(DISTINCT rw.responsible_person_id) AS pairs,
                  min(rw.distance_m) FILTER (WHERE rw.status = 'reached') AS walk_m
             FROM role_assignment r
             JOIN person rp ON rp.id = r.person_id
             LEFT JOIN volunteer v ON v.person_id = rp.id
             LEFT JOIN unit ru ON ru.id = rp.unit_id
             LEFT JOIN building rb ON rb.id = rp.building_id
             LEFT JOIN responsible_walk rw ON rw.key_person_id = c.person_id AND rw.responsible_person_id = r.person_id
            WHERE r.role = 'responsible' AND r.scope_person_id = c.person_id
              AND daterange(r.valid_from, r.valid_to, '[]') @> st.lo) m
     WHERE c.person_id = ANY (ids) AND m.line_m IS NOT NULL
       AND NOT isempty(daterange(st.lo, st.hi) * daterange(NULL, c.closed_on, '[]'));

    PERFORM coverage_count_grid_tally(ids, 1);
END
$$;
