-- Closing a person in the register (deceased, moved away): a reason and a day, kept on the row and in
-- the history, never deleted. The closing day is the person's last day in the register: from the day
-- after it they are no item and no member of any coverage metric (as a role assignment's valid_to is its
-- last day in office), and a report of an earlier day still counts them. Reopening clears both columns.
ALTER TABLE person ADD COLUMN closed_on date,
                   ADD COLUMN closed_reason text CHECK (closed_reason IN ('deceased', 'moved_away')),
                   ADD CONSTRAINT person_closing_complete CHECK ((closed_on IS NULL) = (closed_reason IS NULL));
-- the search leaves closed persons out unless asked: most of a large register stays open
CREATE INDEX person_closed_idx ON person (closed_on) WHERE closed_on IS NOT NULL;

-- The maintained state keeps the closing day beside each key person and counts them against :as_of
-- (closed_on >= :as_of), as it does due days; stretches of responsible-distance end on it.
ALTER TABLE coverage_key_person ADD COLUMN closed_on date;

-- The grid metrics' denominators: coverage_grid_tally counts open key persons, this the closed ones by
-- their closing day, so a day's denominator is the tally plus the closings on or after it (an index range).
CREATE TABLE coverage_grid_closed (
    grid_id        bigint NOT NULL,
    closed_on      date NOT NULL,
    key_persons    integer NOT NULL,
    medicine_needs integer NOT NULL,
    PRIMARY KEY (grid_id, closed_on)
);

CREATE OR REPLACE FUNCTION coverage_count_grid_tally(ids bigint[], sign integer) RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
INSERT INTO coverage_grid_tally AS t (grid_id, key_persons, medicine_needs)
SELECT c.grid_id, sign * count(*), sign * count(*) FILTER (WHERE c.medicine_need)
  FROM coverage_key_person c WHERE c.person_id = ANY (ids) AND c.grid_id IS NOT NULL AND c.closed_on IS NULL
 GROUP BY c.grid_id ORDER BY c.grid_id
ON CONFLICT (grid_id) DO UPDATE SET key_persons = t.key_persons + EXCLUDED.key_persons,
                                    medicine_needs = t.medicine_needs + EXCLUDED.medicine_needs;
INSERT INTO coverage_grid_closed AS t (grid_id, closed_on, key_persons, medicine_needs)
SELECT c.grid_id, c.closed_on, sign * count(*), sign * count(*) FILTER (WHERE c.medicine_need)
  FROM coverage_key_person c WHERE c.person_id = ANY (ids) AND c.grid_id IS NOT NULL AND c.closed_on IS NOT NULL
 GROUP BY c.grid_id, c.closed_on ORDER BY c.grid_id, c.closed_on
ON CONFLICT (grid_id, closed_on) DO UPDATE SET key_persons = t.key_persons + EXCLUDED.key_persons,
                                               medicine_needs = t.medicine_needs + EXCLUDED.medicine_needs;
$$;

-- As in V20, with the closing day: kept on the key person's row, and the end of their responsible stretches.
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
                                     pharmacy_computed_at, walks_computed_at, closed_on)
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
           n.computed_at, w.computed_at, p.closed_on
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
    INSERT INTO coverage_responsible (person_id, grid_id, area_code, days, ok, estimate, metres)
    SELECT c.person_id, c.grid_id, c.area_code, daterange(st.lo, st.hi) * daterange(NULL, c.closed_on, '[]'),
           coalesce(m.walk_m, CASE WHEN m.pairs = 0 THEN m.line_m END) <= s.responsible_max_m,
           m.pairs = 0,
           CASE WHEN m.pairs > 0 THEN m.walk_m ELSE m.line_m END
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

-- As in V20; a volunteer's home grid counts them up to their closing day.
CREATE OR REPLACE FUNCTION coverage_refresh_grid_members(ids bigint[]) RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
SELECT 1 FROM person WHERE id = ANY (ids) ORDER BY id FOR NO KEY UPDATE;
DELETE FROM coverage_grid_member WHERE person_id = ANY (ids);
INSERT INTO coverage_grid_member (grid_id, person_id, role, days)
SELECT m.grid_id, m.person_id, m.role, range_agg(m.days)
  FROM (
    -- a volunteer counts for the grid they live in, every day up to their closing
    SELECT p.grid_id, v.person_id, c.role, daterange(NULL, p.closed_on, '[]') AS days
      FROM volunteer v JOIN person p ON p.id = v.person_id
     CROSS JOIN LATERAL (VALUES ('volunteer', true), ('delivery_squad', 'medicine_delivery' = ANY (v.teams)),
                                ('reserve', v.is_reserve)) c(role, applies)
     WHERE v.person_id = ANY (ids) AND p.grid_id IS NOT NULL AND c.applies
    UNION ALL
    -- and for the grids they are assigned to, on the days of the assignment
    SELECT r.scope_grid_id, r.person_id, c.role, daterange(r.valid_from, r.valid_to, '[]')
      FROM role_assignment r
      JOIN (VALUES ('delivery_squad', 'volunteer'), ('delivery_squad', 'delivery_squad'),
                   ('reserve', 'volunteer'), ('reserve', 'reserve')) c(assigned, role) ON c.assigned = r.role
     WHERE r.person_id = ANY (ids) AND r.scope_grid_id IS NOT NULL
       AND EXISTS (SELECT 1 FROM volunteer v WHERE v.person_id = r.person_id)
    UNION ALL
    SELECT r.scope_grid_id, r.person_id, 'regular', daterange(r.valid_from, r.valid_to, '[]')
      FROM role_assignment r
     WHERE r.person_id = ANY (ids) AND r.scope_grid_id IS NOT NULL AND r.role IN ('grid_worker', 'community_worker')
  ) m
 GROUP BY m.grid_id, m.person_id, m.role;
$$;


REVOKE EXECUTE ON FUNCTION coverage_count_grid_tally(bigint[], integer), coverage_refresh_key_persons(bigint[]),
    coverage_refresh_grid_members(bigint[]) FROM PUBLIC;

-- As in V20, with one correction the property test found: the nearest facility is the first by the planar
-- distance (`<->`, as Metric.PHARMACY_ACCESS and the refresh order them), so a new facility may win for a
-- person though it is farther on the ground than their estimate (at 30° N a degree of longitude is shorter
-- than one of latitude). Refresh those it is nearer to in that same planar sense, not within estimate_m.
CREATE OR REPLACE FUNCTION coverage_on_facility() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
    ids bigint[] := '{}';
    opened integer := 0;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        ids := ARRAY(SELECT c.person_id FROM coverage_key_person c
                      WHERE c.pharmacy_status IS NULL AND c.estimate_facility_id = ANY (ARRAY(SELECT id FROM old_rows)));
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT count(*) INTO opened FROM new_rows
         WHERE kind IN ('pharmacy', 'clinic', 'village_clinic', 'community_health_centre');
        IF opened > 50 THEN
            ids := ARRAY(SELECT c.person_id FROM coverage_key_person c WHERE c.pharmacy_status IS NULL);
        ELSIF opened > 0 THEN
            ids := ids || ARRAY(
                SELECT c.person_id FROM coverage_key_person c
                  LEFT JOIN facility e ON e.id = c.estimate_facility_id
                 WHERE c.pharmacy_status IS NULL AND c.home IS NOT NULL
                   AND EXISTS (SELECT 1 FROM new_rows f
                                WHERE f.kind IN ('pharmacy', 'clinic', 'village_clinic', 'community_health_centre')
                                  AND (e.id IS NULL OR (f.location <-> c.home) <= (e.location <-> c.home))));
        END IF;
    END IF;
    IF cardinality(ids) > 0 THEN
        PERFORM coverage_refresh_key_persons(ids);
    END IF;
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION coverage_on_facility() FROM PUBLIC;
