-- Row-level security: the database itself keeps every caller inside their area, so that a query
-- that forgets its scope predicate still returns only what the caller may see (defence in depth;
-- the handlers keep their own predicates, which also make the queries fast).
--
-- The server connects as ${appRole} (NOSUPERUSER NOBYPASSRLS, created by DatabaseRoles) and, on every
-- connection it takes from its pool, sets these for the request's caller (ScopedDataSource):
--   caregrid.scope_kind    system | everywhere | area | grid | none
--   caregrid.scope_prefix  the area code prefix of an area scope
--   caregrid.scope_grid    the grid id of a grid scope
--   caregrid.own_only      'on' for callers who see only the key persons they are responsible for
--   caregrid.person        the caller's own person id
--   caregrid.today         the configured zone's date, for "responsible today"
--   caregrid.admin         'on' for administrators (who alone read the audit log)
-- Any other role (the owner that runs these migrations, an operator in psql) sees everything.
-- Tables are FORCEd so that the owner, should it ever run the server, is held to the same rules.

CREATE FUNCTION caregrid_scope_kind() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT CASE WHEN current_user::text <> '${appRole}' THEN 'system'
               ELSE coalesce(nullif(current_setting('caregrid.scope_kind', true), ''), 'none') END $$;

CREATE FUNCTION caregrid_own_only() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT current_user::text = '${appRole}' AND current_setting('caregrid.own_only', true) = 'on' $$;

-- True when the caller's scope covers every row: the policies' cheap first test.
CREATE FUNCTION caregrid_sees_everything() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT caregrid_scope_kind() IN ('system', 'everywhere') AND NOT caregrid_own_only() $$;

-- A row that lies in community area_code and grid grid_id (the same rule as AreaScope.rows).
CREATE FUNCTION caregrid_place_visible(area_code text, grid_id bigint) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT CASE caregrid_scope_kind()
            WHEN 'system' THEN true
            WHEN 'everywhere' THEN true
            WHEN 'area' THEN coalesce(starts_with(area_code, current_setting('caregrid.scope_prefix', true)), false)
            WHEN 'grid' THEN coalesce(grid_id = nullif(current_setting('caregrid.scope_grid', true), '')::bigint, false)
            ELSE false
          END $$;

-- An admin area or a grid by its own code / id (neither table is scoped: their outlines are not personal).
CREATE FUNCTION caregrid_area_code_visible(code text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT CASE caregrid_scope_kind()
            WHEN 'system' THEN true
            WHEN 'everywhere' THEN true
            WHEN 'area' THEN starts_with(code, current_setting('caregrid.scope_prefix', true))
            ELSE false
          END $$;

CREATE FUNCTION caregrid_grid_visible(id bigint) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT CASE caregrid_scope_kind()
            WHEN 'system' THEN true
            WHEN 'everywhere' THEN true
            WHEN 'area' THEN EXISTS (SELECT 1 FROM grid g WHERE g.id = $1
                                       AND starts_with(g.community_code, current_setting('caregrid.scope_prefix', true)))
            WHEN 'grid' THEN $1 = nullif(current_setting('caregrid.scope_grid', true), '')::bigint
            ELSE false
          END $$;

-- The caller's own record, or a key person they are responsible for today. SECURITY DEFINER: it
-- reads role_assignment as the owner, so that person's policy does not recurse into role_assignment's.
CREATE FUNCTION caregrid_is_own_person(person_id bigint) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT $1 = nullif(current_setting('caregrid.person', true), '')::bigint
       OR EXISTS (SELECT 1 FROM role_assignment r
                   WHERE r.scope_person_id = $1 AND r.role = 'responsible'
                     AND r.person_id = nullif(current_setting('caregrid.person', true), '')::bigint
                     AND r.valid_from <= current_setting('caregrid.today', true)::date
                     AND (r.valid_to IS NULL OR r.valid_to >= current_setting('caregrid.today', true)::date)) $$;

-- Places
ALTER TABLE compound ENABLE ROW LEVEL SECURITY;
ALTER TABLE compound FORCE ROW LEVEL SECURITY;
CREATE POLICY compound_in_scope ON compound USING (caregrid_place_visible(area_code, grid_id));

ALTER TABLE building ENABLE ROW LEVEL SECURITY;
ALTER TABLE building FORCE ROW LEVEL SECURITY;
CREATE POLICY building_in_scope ON building USING (caregrid_place_visible(area_code, grid_id));

ALTER TABLE unit ENABLE ROW LEVEL SECURITY;
ALTER TABLE unit FORCE ROW LEVEL SECURITY;
CREATE POLICY unit_in_scope ON unit
    USING (caregrid_sees_everything() OR EXISTS (SELECT 1 FROM building b WHERE b.id = unit.building_id));

-- People
ALTER TABLE person ENABLE ROW LEVEL SECURITY;
ALTER TABLE person FORCE ROW LEVEL SECURITY;
CREATE POLICY person_in_scope ON person
    USING (caregrid_place_visible(area_code, grid_id) AND (NOT caregrid_own_only() OR caregrid_is_own_person(id)));

ALTER TABLE key_person ENABLE ROW LEVEL SECURITY;
ALTER TABLE key_person FORCE ROW LEVEL SECURITY;
CREATE POLICY key_person_in_scope ON key_person
    USING (caregrid_sees_everything() OR EXISTS (SELECT 1 FROM person p WHERE p.id = key_person.person_id));

ALTER TABLE volunteer ENABLE ROW LEVEL SECURITY;
ALTER TABLE volunteer FORCE ROW LEVEL SECURITY;
CREATE POLICY volunteer_in_scope ON volunteer
    USING (caregrid_sees_everything() OR EXISTS (SELECT 1 FROM person p WHERE p.id = volunteer.person_id));

ALTER TABLE visit ENABLE ROW LEVEL SECURITY;
ALTER TABLE visit FORCE ROW LEVEL SECURITY;
CREATE POLICY visit_in_scope ON visit
    USING (caregrid_sees_everything() OR EXISTS (SELECT 1 FROM person p WHERE p.id = visit.key_person_id));

ALTER TABLE nearest_facility ENABLE ROW LEVEL SECURITY;
ALTER TABLE nearest_facility FORCE ROW LEVEL SECURITY;
CREATE POLICY nearest_facility_in_scope ON nearest_facility
    USING (caregrid_sees_everything() OR EXISTS (SELECT 1 FROM person p WHERE p.id = nearest_facility.person_id));

ALTER TABLE responsible_walk ENABLE ROW LEVEL SECURITY;
ALTER TABLE responsible_walk FORCE ROW LEVEL SECURITY;
CREATE POLICY responsible_walk_in_scope ON responsible_walk
    USING (caregrid_sees_everything() OR EXISTS (SELECT 1 FROM person p WHERE p.id = responsible_walk.key_person_id));

-- An assignment is seen by those who see its person or its place.
ALTER TABLE role_assignment ENABLE ROW LEVEL SECURITY;
ALTER TABLE role_assignment FORCE ROW LEVEL SECURITY;
CREATE POLICY role_assignment_in_scope ON role_assignment
    USING (caregrid_sees_everything()
           OR EXISTS (SELECT 1 FROM person p WHERE p.id = role_assignment.person_id)
           OR EXISTS (SELECT 1 FROM building b WHERE b.id = role_assignment.scope_building_id)
           OR EXISTS (SELECT 1 FROM unit u WHERE u.id = role_assignment.scope_unit_id)
           OR EXISTS (SELECT 1 FROM compound c WHERE c.id = role_assignment.scope_compound_id)
           OR EXISTS (SELECT 1 FROM person p WHERE p.id = role_assignment.scope_person_id)
           OR (scope_grid_id IS NOT NULL AND caregrid_grid_visible(scope_grid_id))
           OR (scope_area_code IS NOT NULL AND caregrid_area_code_visible(scope_area_code)));

-- Deliveries and routes
ALTER TABLE delivery_request ENABLE ROW LEVEL SECURITY;
ALTER TABLE delivery_request FORCE ROW LEVEL SECURITY;
CREATE POLICY delivery_request_in_scope ON delivery_request
    USING (caregrid_sees_everything() OR EXISTS (SELECT 1 FROM person p WHERE p.id = delivery_request.key_person_id));

ALTER TABLE route ENABLE ROW LEVEL SECURITY;
ALTER TABLE route FORCE ROW LEVEL SECURITY;
CREATE POLICY route_in_scope ON route
    USING (caregrid_sees_everything() OR EXISTS (SELECT 1 FROM person p WHERE p.id = route.assignee_person_id));

ALTER TABLE route_stop ENABLE ROW LEVEL SECURITY;
ALTER TABLE route_stop FORCE ROW LEVEL SECURITY;
CREATE POLICY route_stop_in_scope ON route_stop
    USING (caregrid_sees_everything()
           OR (EXISTS (SELECT 1 FROM route r WHERE r.id = route_stop.route_id)
               AND (person_id IS NULL OR EXISTS (SELECT 1 FROM person p WHERE p.id = route_stop.person_id))
               AND (delivery_request_id IS NULL
                    OR EXISTS (SELECT 1 FROM delivery_request d WHERE d.id = route_stop.delivery_request_id))));

-- A plan is seen whole or not at all: only by those who see everyone it names. SECURITY DEFINER: it
-- lists the plan's persons as the owner, and the policy then asks which of them the caller sees.
CREATE FUNCTION caregrid_plan_persons(plan bigint) RETURNS SETOF bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT s.person_id FROM route_stop s JOIN route ro ON ro.id = s.route_id WHERE ro.plan_id = $1 AND s.person_id IS NOT NULL
   UNION SELECT ro.assignee_person_id FROM route ro WHERE ro.plan_id = $1
   UNION SELECT r.key_person_id FROM route_plan_unassigned u JOIN delivery_request r ON r.id = u.delivery_request_id
          WHERE u.plan_id = $1 $$;

ALTER TABLE route_plan ENABLE ROW LEVEL SECURITY;
ALTER TABLE route_plan FORCE ROW LEVEL SECURITY;
CREATE POLICY route_plan_in_scope ON route_plan
    USING (caregrid_sees_everything()
           OR NOT EXISTS (SELECT 1 FROM caregrid_plan_persons(route_plan.id) AS named (id)
                           WHERE NOT EXISTS (SELECT 1 FROM person p WHERE p.id = named.id)));

ALTER TABLE route_plan_unassigned ENABLE ROW LEVEL SECURITY;
ALTER TABLE route_plan_unassigned FORCE ROW LEVEL SECURITY;
CREATE POLICY route_plan_unassigned_in_scope ON route_plan_unassigned
    USING (caregrid_sees_everything()
           OR EXISTS (SELECT 1 FROM delivery_request d WHERE d.id = route_plan_unassigned.delivery_request_id));

-- The audit log: everyone writes their own trail; only administrators read it. The server's role
-- has no UPDATE, DELETE or TRUNCATE on it (DatabaseRoles) and does not own it, so it can neither
-- drop the append-only trigger nor switch it off.
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_log_write ON audit_log FOR INSERT WITH CHECK (true);
CREATE POLICY audit_log_read ON audit_log FOR SELECT
    USING (caregrid_scope_kind() = 'system' OR current_setting('caregrid.admin', true) = 'on');

-- The trail also says why the data was read: the purpose the endpoint serves.
ALTER TABLE audit_log ADD COLUMN purpose text CHECK (purpose IN ('visit', 'dispatch', 'report', 'admin'));
CREATE FUNCTION audit_log_no_truncate() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_no_truncate();
