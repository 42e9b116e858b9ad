-- Call-out of the reserve force (社区呼叫、单位报到, issue 13): a grid worker, dispatcher or administrator
-- calls out reserve members and registered unit staff for a place, a start and a number of hours; each
-- accepted answer is duty that becomes service time (志愿服务记录, kind 'callout'). Volunteers' own visits
-- become service time too (kind 'visit'), once per visit.

CREATE TABLE callout (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- the place: a grid (area_code is then its community) or an area alone
    grid_id     bigint REFERENCES grid (id),
    area_code   char(12) NOT NULL REFERENCES admin_area (code),
    place       geometry(Point, 4326) NOT NULL,
    needed      integer NOT NULL CHECK (needed BETWEEN 1 AND 500),
    skills      text[] NOT NULL DEFAULT '{}',
    starts_at   timestamptz NOT NULL,
    hours       numeric(4, 2) NOT NULL CHECK (hours > 0 AND hours <= 24),
    status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'filled', 'closed')),
    version     integer NOT NULL DEFAULT 1,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    closed_at   timestamptz,
    CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX callout_grid_idx ON callout (grid_id) WHERE grid_id IS NOT NULL;
CREATE INDEX callout_place_idx ON callout USING gist (place);

-- One answer per person and call-out, written once; an accepted answer writes the duty's service record.
CREATE TABLE callout_response (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    callout_id  bigint NOT NULL REFERENCES callout (id),
    person_id   bigint NOT NULL REFERENCES person (id),
    accept      boolean NOT NULL,
    recorded_by text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (callout_id, person_id)
);

-- A service record names what it is for: a route, a call-out or a visit, each counted once.
ALTER TABLE service_record ADD COLUMN callout_id bigint REFERENCES callout (id),
                           ADD COLUMN visit_id bigint UNIQUE REFERENCES visit (id),
                           ADD UNIQUE (callout_id, volunteer_person_id),
                           ADD CHECK ((kind = 'callout') = (callout_id IS NOT NULL)),
                           ADD CHECK ((kind = 'visit') = (visit_id IS NOT NULL));

CREATE TRIGGER callout_version BEFORE UPDATE ON callout FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER callout_history_insert AFTER INSERT ON callout REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_change('callout', 'id');
CREATE TRIGGER callout_history_update AFTER UPDATE ON callout REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_change('callout', 'id');
CREATE TRIGGER callout_response_history_insert AFTER INSERT ON callout_response REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_change('callout-response', 'id');

-- Row-level security: a call-out is seen where its place is; an answer where its call-out is.
ALTER TABLE callout ENABLE ROW LEVEL SECURITY;
ALTER TABLE callout FORCE ROW LEVEL SECURITY;
CREATE POLICY callout_in_scope ON callout USING (caregrid_place_visible(area_code, grid_id));
ALTER TABLE callout_response ENABLE ROW LEVEL SECURITY;
ALTER TABLE callout_response FORCE ROW LEVEL SECURITY;
CREATE POLICY callout_response_in_scope ON callout_response
    USING (EXISTS (SELECT 1 FROM callout c WHERE c.id = callout_response.callout_id));

-- The reserve ratio by tier (机动力量分市、县、街道三级): a grid counts its street-tier reserve members, living
-- in or assigned to it; a member without a tier is the street's. County and city members back up many grids
-- and count for none of them (docs/coverage.md). As in V29 otherwise; the metric's own query agrees (Metric.RESERVE).
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
                                ('reserve', v.is_reserve AND coalesce(v.reserve_tier, 'street') = 'street')) c(role, applies)
     WHERE v.person_id = ANY (ids) AND p.grid_id IS NOT NULL AND c.applies
    UNION ALL
    -- and for the grids they are assigned to, on the days of the assignment
    SELECT r.scope_grid_id, r.person_id, c.role, daterange(r.valid_from, r.valid_to, '[]')
      FROM role_assignment r
      JOIN (VALUES ('delivery_squad', 'volunteer'), ('delivery_squad', 'delivery_squad'),
                   ('reserve', 'volunteer'), ('reserve', 'reserve')) c(assigned, role) ON c.assigned = r.role
     WHERE r.person_id = ANY (ids) AND r.scope_grid_id IS NOT NULL
       AND EXISTS (SELECT 1 FROM volunteer v WHERE v.person_id = r.person_id)
       AND (c.role <> 'reserve' OR coalesce(r.tier, 'street') = 'street')
    UNION ALL
    SELECT r.scope_grid_id, r.person_id, 'regular', daterange(r.valid_from, r.valid_to, '[]')
      FROM role_assignment r
     WHERE r.person_id = ANY (ids) AND r.scope_grid_id IS NOT NULL AND r.role IN ('grid_worker', 'community_worker')
  ) m
 GROUP BY m.grid_id, m.person_id, m.role;
$$;
REVOKE EXECUTE ON FUNCTION coverage_refresh_grid_members(bigint[]) FROM PUBLIC;

SELECT coverage_refresh_grid_members(ARRAY(SELECT person_id FROM volunteer WHERE is_reserve AND reserve_tier <> 'street'
                                           UNION SELECT person_id FROM role_assignment
                                                  WHERE role = 'reserve' AND tier <> 'street' AND scope_grid_id IS NOT NULL));
