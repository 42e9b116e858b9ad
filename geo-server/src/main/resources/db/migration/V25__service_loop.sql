-- Closing the service loop for deliveries (issue 13): a dispatcher publishes a draft plan, its
-- requests become assigned, each volunteer sees today's route and records an outcome per stop (once:
-- an idempotency key per outcome), a delivery to a key person counts as a door visit, and a finished
-- route writes a service record (志愿服务记录) with the minutes, kilometres and households served.

-- Request states: assigned (on a published route) and failed (refused, could not reach).
ALTER TABLE delivery_request DROP CONSTRAINT delivery_request_status_check;
ALTER TABLE delivery_request ADD CONSTRAINT delivery_request_status_check CHECK (status IN (
    'pending', 'planned', 'assigned', 'in_progress', 'delivered', 'failed', 'cancelled', 'unservable'));
ALTER TABLE delivery_request ADD COLUMN failure_reason text
    CHECK (failure_reason IN ('refused', 'unreachable')),
    ADD CHECK (failure_reason IS NULL OR status = 'failed');

-- A plan has a day, a version (If-Match on publishing) and a history; who published it and when.
ALTER TABLE route_plan ADD COLUMN version integer NOT NULL DEFAULT 1,
                       ADD COLUMN service_date date,
                       ADD COLUMN published_at timestamptz,
                       ADD COLUMN published_by text;
UPDATE route_plan SET service_date = (parameters ->> 'date')::date WHERE parameters ? 'date';
UPDATE route_plan SET service_date = (created_at AT TIME ZONE 'Asia/Shanghai')::date WHERE service_date IS NULL;
ALTER TABLE route_plan ALTER COLUMN service_date SET NOT NULL;
CREATE INDEX route_plan_service_date_idx ON route_plan (service_date) WHERE status IN ('published', 'done');
CREATE TRIGGER route_plan_version BEFORE UPDATE ON route_plan FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER route_plan_history_insert AFTER INSERT ON route_plan REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_change('plan', 'id');
CREATE TRIGGER route_plan_history_update AFTER UPDATE ON route_plan REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_change('plan', 'id');

-- A route is finished when every delivery stop on it has an outcome.
ALTER TABLE route ADD COLUMN finished_at timestamptz;
CREATE INDEX route_assignee_idx ON route (assignee_person_id);

-- A stop has an id of its own (the volunteer's URL), the building it lies in (what the volunteer still
-- sees once the route is over), and is withdrawn when a re-plan moves its request to another route.
ALTER TABLE route_stop ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                       ADD COLUMN building_id bigint REFERENCES building (id),
                       ADD COLUMN withdrawn_at timestamptz;
UPDATE route_stop s SET building_id = p.building_id FROM person p
 WHERE p.id = s.person_id AND s.kind IN ('delivery', 'visit');
CREATE INDEX route_stop_person_idx ON route_stop (person_id) WHERE person_id IS NOT NULL;
CREATE INDEX route_stop_request_idx ON route_stop (delivery_request_id) WHERE delivery_request_id IS NOT NULL;

-- What happened at a stop: one outcome per stop, written once (the server's role may only add and read).
CREATE TABLE stop_outcome (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stop_id             bigint NOT NULL UNIQUE REFERENCES route_stop (id),
    route_id            bigint NOT NULL REFERENCES route (id),
    delivery_request_id bigint REFERENCES delivery_request (id),
    volunteer_person_id bigint NOT NULL REFERENCES person (id),
    outcome             text NOT NULL CHECK (outcome IN ('picked_up', 'delivered', 'not_home', 'refused', 'unreachable')),
    note                text,
    at                  timestamptz NOT NULL,
    -- the phone's key for this outcome: a resent outcome (offline queue, lost answer) is stored once
    idempotency_key     text NOT NULL CHECK (idempotency_key ~ '^[A-Za-z0-9_.:-]{8,100}$'),
    visit_id            bigint REFERENCES visit (id),
    recorded_by         text NOT NULL,
    recorded_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (volunteer_person_id, idempotency_key),
    CHECK ((outcome = 'picked_up') = (delivery_request_id IS NULL))
);
CREATE INDEX stop_outcome_route_idx ON stop_outcome (route_id);

-- 志愿服务记录: one per finished route (later also visits and call-out duty), for subsidies and certificates.
CREATE TABLE service_record (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    volunteer_person_id bigint NOT NULL REFERENCES person (id),
    service_date        date NOT NULL,
    kind                text NOT NULL DEFAULT 'delivery' CHECK (kind IN ('delivery', 'visit', 'callout')),
    minutes             integer NOT NULL CHECK (minutes >= 0),
    distance_km         double precision NOT NULL CHECK (distance_km >= 0),
    households          integer NOT NULL CHECK (households >= 0),
    plan_id             bigint REFERENCES route_plan (id),
    route_id            bigint UNIQUE REFERENCES route (id),
    started_at          timestamptz,
    finished_at         timestamptz,
    recorded_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (started_at IS NULL OR finished_at IS NULL OR finished_at >= started_at)
);
CREATE INDEX service_record_volunteer_idx ON service_record (volunteer_person_id, service_date);

CREATE TRIGGER stop_outcome_history_insert AFTER INSERT ON stop_outcome REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_change('stop-outcome', 'id');
CREATE TRIGGER service_record_history_insert AFTER INSERT ON service_record REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_change('service-record', 'id');

-- When the last route of a published plan finishes, the plan is done. SECURITY DEFINER: the volunteer
-- who finishes a route does not see the whole plan (it names other volunteers' households).
CREATE FUNCTION route_finished_closes_plan() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
BEGIN
    UPDATE route_plan p SET status = 'done'
     WHERE p.id = NEW.plan_id AND p.status = 'published'
       AND NOT EXISTS (SELECT 1 FROM route r WHERE r.plan_id = p.id AND r.finished_at IS NULL);
    RETURN NULL;
END
$$;
CREATE TRIGGER route_finished_closes_plan AFTER UPDATE OF finished_at ON route
    FOR EACH ROW WHEN (NEW.finished_at IS NOT NULL AND OLD.finished_at IS NULL)
    EXECUTE FUNCTION route_finished_closes_plan();

-- Row-level security (V6's rules, extended). A volunteer sees their own published routes whole: the
-- stops, and each stop's building. The households on it (name, address, phone, the request) only while
-- the route is active: published, for today, not finished. Afterwards the person rows are theirs no more.
CREATE FUNCTION caregrid_caller_person() RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT nullif(current_setting('caregrid.person', true), '')::bigint $$;

-- The caller's routes on published (or done) plans. SECURITY DEFINER: reads route and route_plan as the owner.
CREATE FUNCTION caregrid_own_published_routes() RETURNS SETOF bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT r.id FROM route r JOIN route_plan p ON p.id = r.plan_id
    WHERE r.assignee_person_id = caregrid_caller_person() AND p.status IN ('published', 'done') $$;

CREATE FUNCTION caregrid_own_published_plans() RETURNS SETOF bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT DISTINCT r.plan_id FROM route r JOIN route_plan p ON p.id = r.plan_id
    WHERE r.assignee_person_id = caregrid_caller_person() AND p.status IN ('published', 'done') $$;

-- The households on the caller's active route today.
CREATE FUNCTION caregrid_active_route_persons() RETURNS SETOF bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT s.person_id FROM route_stop s JOIN route r ON r.id = s.route_id JOIN route_plan p ON p.id = r.plan_id
    WHERE r.assignee_person_id = caregrid_caller_person()
      AND p.status = 'published' AND p.service_date = current_setting('caregrid.today', true)::date
      AND r.finished_at IS NULL AND s.withdrawn_at IS NULL AND s.kind = 'delivery' AND s.person_id IS NOT NULL $$;

CREATE POLICY route_plan_own_route ON route_plan FOR SELECT
    USING (id IN (SELECT caregrid_own_published_plans()));
CREATE POLICY route_stop_own_route ON route_stop FOR SELECT
    USING (route_id IN (SELECT caregrid_own_published_routes()));
CREATE POLICY person_on_active_route ON person FOR SELECT
    USING (caregrid_own_only() AND caregrid_place_visible(area_code, grid_id)
           AND id IN (SELECT caregrid_active_route_persons()));

ALTER TABLE stop_outcome ENABLE ROW LEVEL SECURITY;
ALTER TABLE stop_outcome FORCE ROW LEVEL SECURITY;
CREATE POLICY stop_outcome_read ON stop_outcome FOR SELECT
    USING (caregrid_sees_everything()
           OR volunteer_person_id = caregrid_caller_person()
           OR (delivery_request_id IS NOT NULL
               AND EXISTS (SELECT 1 FROM delivery_request d WHERE d.id = stop_outcome.delivery_request_id))
           OR (delivery_request_id IS NULL AND EXISTS (SELECT 1 FROM route r WHERE r.id = stop_outcome.route_id)));
-- only the volunteer of the route writes its outcomes
CREATE POLICY stop_outcome_write ON stop_outcome FOR INSERT
    WITH CHECK (caregrid_scope_kind() = 'system' OR volunteer_person_id = caregrid_caller_person());

ALTER TABLE service_record ENABLE ROW LEVEL SECURITY;
ALTER TABLE service_record FORCE ROW LEVEL SECURITY;
CREATE POLICY service_record_in_scope ON service_record
    USING (caregrid_sees_everything() OR EXISTS (SELECT 1 FROM person p WHERE p.id = service_record.volunteer_person_id));
