-- The coverage metrics' per-item state, maintained by triggers in the transaction of every write that
-- changes it, whatever the write path (API, imports, plain SQL). What changes only with the calendar is
-- stored as days (datemultirange: the days an item meets its condition) and tested against the report's
-- day, so no nightly job is needed and past days are answered from the same rows. CoverageQueries reads
-- these tables; Metric.itemsSql() stays the full computation that `coverage verify` compares them with.
--
-- The functions are SECURITY DEFINER: the state must be complete whatever rows the writing role may see.
-- Each refresh first locks the rows its items come from (FOR NO KEY UPDATE, which a foreign key check's
-- KEY SHARE does not block), so two transactions refreshing the same item take turns, and the second,
-- in READ COMMITTED, recomputes from what the first committed.

-- The configuration the triggers need (caregrid.coverage.*), written by the server at start
-- (CoverageState). Changing it recomputes every key person's state.
CREATE TABLE coverage_setting (
    id                     boolean PRIMARY KEY DEFAULT true CHECK (id),
    time_zone              text NOT NULL DEFAULT 'Asia/Shanghai',
    -- days by risk level and by category, as CoverageState writes them: {"high": "7", ...}
    visit_days_by_risk     jsonb NOT NULL DEFAULT '{"high": "7", "medium": "15", "low": "30"}',
    visit_days_by_category jsonb NOT NULL DEFAULT '{"elderly_alone": "7", "elderly_disabled": "7", "child_unsupported": "7",
                                                    "severe_mental_disorder": "7", "home_treatment": "3"}',
    responsible_max_m      double precision NOT NULL DEFAULT 1000,
    pharmacy_max_min       double precision NOT NULL DEFAULT 15,
    walking_speed          double precision NOT NULL DEFAULT 1.2,
    detour_factor          double precision NOT NULL DEFAULT 1.3
);
INSERT INTO coverage_setting DEFAULT VALUES;

-- building-heads: the days a building head is in office (valid_to inclusive).
CREATE TABLE coverage_building (
    building_id bigint PRIMARY KEY,
    grid_id     bigint,
    area_code   char(12),
    head_days   datemultirange NOT NULL
);
CREATE INDEX coverage_building_area_idx ON coverage_building (area_code bpchar_pattern_ops, grid_id);
CREATE INDEX coverage_building_grid_idx ON coverage_building (grid_id);

-- unit-heads, likewise; a unit lies where its building lies.
CREATE TABLE coverage_unit (
    unit_id     bigint PRIMARY KEY,
    building_id bigint NOT NULL,
    grid_id     bigint,
    area_code   char(12),
    head_days   datemultirange NOT NULL
);
CREATE INDEX coverage_unit_area_idx ON coverage_unit (area_code bpchar_pattern_ops, grid_id);
CREATE INDEX coverage_unit_grid_idx ON coverage_unit (grid_id);
CREATE INDEX coverage_unit_building_idx ON coverage_unit (building_id);

-- One row per key person: responsibility, visits and pharmacy access.
CREATE TABLE coverage_key_person (
    person_id            bigint PRIMARY KEY,
    grid_id              bigint,
    area_code            char(12),
    home                 geometry(Point, 4326),
    medicine_need        boolean NOT NULL,
    -- responsibility: the days a responsible person (包保) is in office
    responsible_days     datemultirange NOT NULL,
    -- visits: the days the person is not overdue; due_on answers today's question by an index range
    registered_on        date NOT NULL,
    interval_days        integer NOT NULL,
    last_visit_on        date,
    due_on               date NOT NULL,
    visit_ok_days        datemultirange NOT NULL,
    -- pharmacy-access: the stored walk's status (NULL: none, a straight-line estimate to estimate_facility_id)
    pharmacy_status      text,
    estimate_facility_id bigint,
    estimate_m           double precision,
    pharmacy_minutes     double precision,
    pharmacy_ok          boolean,
    pharmacy_computed_at timestamptz,
    -- the oldest stored walk to a responsible person, for the figures' freshness
    walks_computed_at    timestamptz
);
CREATE INDEX coverage_key_person_area_idx ON coverage_key_person (area_code bpchar_pattern_ops, grid_id);
CREATE INDEX coverage_key_person_grid_idx ON coverage_key_person (grid_id);
CREATE INDEX coverage_key_person_due_idx ON coverage_key_person (grid_id, due_on);
-- the oldest walk behind an area's figures: the first index entry in the area
CREATE INDEX coverage_key_person_pharmacy_fresh_idx ON coverage_key_person (pharmacy_computed_at);
CREATE INDEX coverage_key_person_walks_fresh_idx ON coverage_key_person (walks_computed_at);
CREATE INDEX coverage_key_person_estimate_idx ON coverage_key_person (estimate_facility_id) WHERE pharmacy_status IS NULL;

-- responsible-distance: one row per stretch of days over which the same responsible persons are in
-- office (a key person is an item only on such days).
CREATE TABLE coverage_responsible (
    person_id bigint NOT NULL,
    grid_id   bigint,
    area_code char(12),
    days      daterange NOT NULL,
    ok        boolean,
    estimate  boolean NOT NULL,
    metres    double precision
);
CREATE INDEX coverage_responsible_person_idx ON coverage_responsible (person_id);
CREATE INDEX coverage_responsible_area_idx ON coverage_responsible (area_code bpchar_pattern_ops, grid_id);
CREATE INDEX coverage_responsible_grid_idx ON coverage_responsible (grid_id);

-- volunteers, delivery-squad, reserve: who counts for a grid on which days. role 'volunteer' counts for
-- the volunteers metric, 'delivery_squad' and 'reserve' for theirs, 'regular' (grid and community
-- workers) is the reserve's yardstick.
CREATE TABLE coverage_grid_member (
    grid_id   bigint NOT NULL,
    person_id bigint NOT NULL,
    role      text NOT NULL CHECK (role IN ('volunteer', 'delivery_squad', 'reserve', 'regular')),
    days      datemultirange NOT NULL,
    PRIMARY KEY (grid_id, role, person_id)
);
CREATE INDEX coverage_grid_member_person_idx ON coverage_grid_member (person_id);

-- Per grid: key persons and those needing medicine delivery (the grid metrics' denominators).
CREATE TABLE coverage_grid_tally (
    grid_id        bigint PRIMARY KEY,
    key_persons    integer NOT NULL,
    medicine_needs integer NOT NULL
);

-- compound-organisations counts a compound's organisations
CREATE INDEX micro_organisation_compound_idx ON micro_organisation (compound_id) WHERE compound_id IS NOT NULL;

-- A key person's visit interval: their own, else the shortest of their risk's and categories' (as Metric.VISIT_INTERVAL).
CREATE FUNCTION coverage_visit_interval(own integer, risk text, categories text[], s coverage_setting) RETURNS integer
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = public, pg_temp AS
$$ SELECT coalesce(own, least((s.visit_days_by_risk ->> risk)::int,
                              (SELECT min(c.value::int) FROM jsonb_each_text(s.visit_days_by_category) c
                                WHERE c.key = ANY (categories))), 30) $$;

CREATE FUNCTION coverage_refresh_buildings(ids bigint[]) RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
SELECT 1 FROM building WHERE id = ANY (ids) ORDER BY id FOR NO KEY UPDATE;
DELETE FROM coverage_building WHERE building_id = ANY (ids);
INSERT INTO coverage_building (building_id, grid_id, area_code, head_days)
SELECT b.id, b.grid_id, b.area_code,
       coalesce((SELECT range_agg(daterange(r.valid_from, r.valid_to, '[]')) FROM role_assignment r
                  WHERE r.role = 'building_head' AND r.scope_building_id = b.id), '{}')
  FROM building b WHERE b.id = ANY (ids);
$$;

CREATE FUNCTION coverage_refresh_units(ids bigint[]) RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
SELECT 1 FROM unit WHERE id = ANY (ids) ORDER BY id FOR NO KEY UPDATE;
DELETE FROM coverage_unit WHERE unit_id = ANY (ids);
INSERT INTO coverage_unit (unit_id, building_id, grid_id, area_code, head_days)
SELECT u.id, u.building_id, b.grid_id, b.area_code,
       coalesce((SELECT range_agg(daterange(r.valid_from, r.valid_to, '[]')) FROM role_assignment r
                  WHERE r.role = 'unit_head' AND r.scope_unit_id = u.id), '{}')
  FROM unit u JOIN building b ON b.id = u.building_id WHERE u.id = ANY (ids);
$$;

-- Adds each grid's key persons among ids (sign -1: takes them away), grids in order so that concurrent
-- writers lock the tally rows in the same order.
CREATE FUNCTION coverage_count_grid_tally(ids bigint[], sign integer) RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
INSERT INTO coverage_grid_tally AS t (grid_id, key_persons, medicine_needs)
SELECT c.grid_id, sign * count(*), sign * count(*) FILTER (WHERE c.medicine_need)
  FROM coverage_key_person c WHERE c.person_id = ANY (ids) AND c.grid_id IS NOT NULL
 GROUP BY c.grid_id ORDER BY c.grid_id
ON CONFLICT (grid_id) DO UPDATE SET key_persons = t.key_persons + EXCLUDED.key_persons,
                                    medicine_needs = t.medicine_needs + EXCLUDED.medicine_needs;
$$;

-- Everything about a set of key persons. The rules are Metric's, restated per person with the days they hold on.
-- Planned afresh on each call: a plan cached after an import of thousands would serve one visit badly.
CREATE FUNCTION coverage_refresh_key_persons(ids bigint[]) RETURNS void
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
                                     pharmacy_computed_at, walks_computed_at)
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
           n.computed_at, w.computed_at
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
    SELECT c.person_id, c.grid_id, c.area_code, daterange(st.lo, st.hi),
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
     WHERE c.person_id = ANY (ids) AND m.line_m IS NOT NULL;

    PERFORM coverage_count_grid_tally(ids, 1);
END
$$;

-- Who counts for which grid, for a set of persons (volunteers, squad and reserve members, workers).
CREATE FUNCTION coverage_refresh_grid_members(ids bigint[]) RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
SELECT 1 FROM person WHERE id = ANY (ids) ORDER BY id FOR NO KEY UPDATE;
DELETE FROM coverage_grid_member WHERE person_id = ANY (ids);
INSERT INTO coverage_grid_member (grid_id, person_id, role, days)
SELECT m.grid_id, m.person_id, m.role, range_agg(m.days)
  FROM (
    -- a volunteer counts for the grid they live in, every day
    SELECT p.grid_id, v.person_id, c.role, daterange(NULL, NULL) AS days
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

-- Key persons whose state depends on where these persons live: themselves, and those they are responsible for.
CREATE FUNCTION coverage_key_persons_of(persons bigint[]) RETURNS bigint[]
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$
SELECT coalesce(array_agg(DISTINCT x.id), '{}') FROM (
  SELECT k.person_id FROM key_person k WHERE k.person_id = ANY (persons)
  UNION ALL
  SELECT r.scope_person_id FROM role_assignment r
   WHERE r.role = 'responsible' AND r.person_id = ANY (persons)
) x(id)
$$;

-- The triggers. Each is per statement with its transition tables, so that an import of a million rows
-- refreshes its items in a few set-based statements; they find the items a change touches and refresh them.

CREATE FUNCTION coverage_on_role_assignment() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
    buildings bigint[] := '{}';
    units bigint[] := '{}';
    key_persons bigint[] := '{}';
    members bigint[] := '{}';
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        buildings := ARRAY(SELECT scope_building_id FROM new_rows WHERE role = 'building_head');
        units := ARRAY(SELECT scope_unit_id FROM new_rows WHERE role = 'unit_head');
        key_persons := ARRAY(SELECT scope_person_id FROM new_rows WHERE role = 'responsible');
        members := ARRAY(SELECT person_id FROM new_rows WHERE scope_grid_id IS NOT NULL);
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        buildings := buildings || ARRAY(SELECT scope_building_id FROM old_rows WHERE role = 'building_head');
        units := units || ARRAY(SELECT scope_unit_id FROM old_rows WHERE role = 'unit_head');
        key_persons := key_persons || ARRAY(SELECT scope_person_id FROM old_rows WHERE role = 'responsible');
        members := members || ARRAY(SELECT person_id FROM old_rows WHERE scope_grid_id IS NOT NULL);
    END IF;
    IF cardinality(buildings) > 0 THEN
        PERFORM coverage_refresh_buildings(buildings);
    END IF;
    IF cardinality(units) > 0 THEN
        PERFORM coverage_refresh_units(units);
    END IF;
    IF cardinality(key_persons) > 0 THEN
        PERFORM coverage_refresh_key_persons(key_persons);
    END IF;
    IF cardinality(members) > 0 THEN
        PERFORM coverage_refresh_grid_members(members);
    END IF;
    RETURN NULL;
END
$$;

-- The rows a statement wrote, by the id column TG_ARGV[0], and what they are (TG_ARGV[1]):
-- 'key_person' (key_person, visit, nearest_facility, responsible_walk name one), 'volunteer', 'building', 'unit'.
CREATE FUNCTION coverage_on_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
    ids bigint[] := '{}';
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        EXECUTE format('SELECT coalesce(array_agg(DISTINCT %I), ''{}'') FROM new_rows', TG_ARGV[0]) INTO ids;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        EXECUTE format('SELECT $1 || coalesce(array_agg(DISTINCT %I), ''{}'') FROM old_rows', TG_ARGV[0]) INTO ids USING ids;
    END IF;
    CASE TG_ARGV[1]
    WHEN 'key_person' THEN
        PERFORM coverage_refresh_key_persons(ids);
    WHEN 'volunteer' THEN
        PERFORM coverage_refresh_grid_members(ids);
        -- a volunteer's home is where a responsible volunteer lives
        PERFORM coverage_refresh_key_persons(ARRAY(SELECT DISTINCT r.scope_person_id FROM role_assignment r
                                                    WHERE r.role = 'responsible' AND r.person_id = ANY (ids)));
    WHEN 'building' THEN
        -- a building's place is its units' place; its entrance is the home of those living there without a unit
        PERFORM coverage_refresh_buildings(ids);
        PERFORM coverage_refresh_units(ARRAY(SELECT u.id FROM unit u WHERE u.building_id = ANY (ids)));
        IF TG_OP = 'UPDATE' THEN
            PERFORM coverage_refresh_key_persons(coverage_key_persons_of(
                ARRAY(SELECT p.id FROM person p WHERE p.building_id = ANY (ids))));
        END IF;
    WHEN 'unit' THEN
        PERFORM coverage_refresh_units(ids);
        IF TG_OP = 'UPDATE' THEN
            PERFORM coverage_refresh_key_persons(coverage_key_persons_of(
                ARRAY(SELECT p.id FROM person p WHERE p.unit_id = ANY (ids))));
        END IF;
    END CASE;
    RETURN NULL;
END
$$;

-- A person changed (perhaps moved: grid, area, home): their own state, their grid memberships, and the key
-- persons they are responsible for. No comparison of old and new rows: the transition tables have no
-- statistics, and a join of two million-row ones may be planned as a nested loop.
CREATE FUNCTION coverage_on_person() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
    ids bigint[] := ARRAY(SELECT id FROM new_rows);
BEGIN
    PERFORM coverage_refresh_key_persons(coverage_key_persons_of(ids));
    PERFORM coverage_refresh_grid_members(ARRAY(SELECT v.person_id FROM volunteer v WHERE v.person_id = ANY (ids)));
    RETURN NULL;
END
$$;

-- A health facility opened, closed or moved: the straight-line estimates it was or may now be nearest for.
-- Many at once (an import): every estimate again, one index probe each.
CREATE FUNCTION coverage_on_facility() RETURNS trigger
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
                 WHERE c.pharmacy_status IS NULL AND c.home IS NOT NULL
                   AND EXISTS (SELECT 1 FROM new_rows f
                                WHERE f.kind IN ('pharmacy', 'clinic', 'village_clinic', 'community_health_centre')
                                  AND (c.estimate_m IS NULL
                                       OR ST_DWithin(c.home::geography, f.location::geography, c.estimate_m))));
        END IF;
    END IF;
    IF cardinality(ids) > 0 THEN
        PERFORM coverage_refresh_key_persons(ids);
    END IF;
    RETURN NULL;
END
$$;

-- A new configuration: every key person again.
CREATE FUNCTION coverage_on_setting() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
BEGIN
    PERFORM coverage_refresh_key_persons(ARRAY(SELECT person_id FROM key_person));
    RETURN NULL;
END
$$;

-- after INSERT, UPDATE and DELETE of each table (a trigger with transition tables takes one event only)
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
            ('role_assignment', 'coverage_on_role_assignment()'),
            ('visit', 'coverage_on_change(''key_person_id'', ''key_person'')'),
            ('nearest_facility', 'coverage_on_change(''person_id'', ''key_person'')'),
            ('responsible_walk', 'coverage_on_change(''key_person_id'', ''key_person'')'),
            ('key_person', 'coverage_on_change(''person_id'', ''key_person'')'),
            ('volunteer', 'coverage_on_change(''person_id'', ''volunteer'')'),
            ('building', 'coverage_on_change(''id'', ''building'')'),
            ('unit', 'coverage_on_change(''id'', ''unit'')'),
            ('facility', 'coverage_on_facility()')) x(tab, fn)
    LOOP
        EXECUTE format('CREATE TRIGGER coverage_%1$s_insert AFTER INSERT ON %1$I REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION %2$s', t.tab, t.fn);
        EXECUTE format('CREATE TRIGGER coverage_%1$s_update AFTER UPDATE ON %1$I REFERENCING OLD TABLE AS old_rows '
                       'NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION %2$s', t.tab, t.fn);
        EXECUTE format('CREATE TRIGGER coverage_%1$s_delete AFTER DELETE ON %1$I REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION %2$s', t.tab, t.fn);
    END LOOP;
END
$$;

-- a new person has no key-person, volunteer or assignment rows yet: only moves matter (deletes cascade to those)
CREATE TRIGGER coverage_person_update AFTER UPDATE ON person REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION coverage_on_person();

CREATE TRIGGER coverage_setting_update AFTER UPDATE ON coverage_setting
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION coverage_on_setting();

-- Only the triggers (which run them as the owner) need these; they would tell any caller who is a key person.
REVOKE EXECUTE ON FUNCTION coverage_refresh_buildings(bigint[]), coverage_refresh_units(bigint[]),
    coverage_count_grid_tally(bigint[], integer), coverage_refresh_key_persons(bigint[]), coverage_refresh_grid_members(bigint[]),
    coverage_key_persons_of(bigint[]), coverage_on_role_assignment(), coverage_on_change(), coverage_on_person(),
    coverage_on_facility(), coverage_on_setting() FROM PUBLIC;

-- The state of what is already there.
SELECT coverage_refresh_buildings(ARRAY(SELECT id FROM building));
SELECT coverage_refresh_units(ARRAY(SELECT id FROM unit));
SELECT coverage_refresh_key_persons(ARRAY(SELECT person_id FROM key_person));
SELECT coverage_refresh_grid_members(ARRAY(SELECT person_id FROM volunteer UNION SELECT person_id FROM role_assignment
                                            WHERE scope_grid_id IS NOT NULL));
