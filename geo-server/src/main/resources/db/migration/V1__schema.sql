-- caregrid schema: the domain of DOMAIN.md. All geometries in WGS84 (SRID 4326).
-- Constraints are written so that invalid states cannot be stored: a unit in no building,
-- a negative household count, a visit method outside the list, an area code that does not
-- fit its level, a role assigned to the wrong kind of place.

CREATE EXTENSION IF NOT EXISTS postgis;

-- Admin areas carry the 12-digit statistical division code: 2 province + 2 city + 2 county
-- + 3 street + 3 community. The level fixes which digits are zero and who the parent is,
-- so scope and roll-up can be prefix matches.
CREATE TABLE admin_area (
    code        char(12) PRIMARY KEY CHECK (code ~ '^[0-9]{12}$'),
    level       text NOT NULL CHECK (level IN ('city', 'district', 'street', 'community')),
    name        text NOT NULL CHECK (btrim(name) <> ''),
    parent_code char(12) REFERENCES admin_area (code),
    geom        geometry(MultiPolygon, 4326),
    UNIQUE (code, level),
    CHECK (CASE level
             WHEN 'city'      THEN substr(code, 5) = '00000000' AND substr(code, 3, 2) <> '00'
             WHEN 'district'  THEN substr(code, 7) = '000000' AND substr(code, 5, 2) <> '00'
             WHEN 'street'    THEN substr(code, 10) = '000' AND substr(code, 7, 3) <> '000'
             WHEN 'community' THEN substr(code, 10) <> '000'
           END),
    CHECK (parent_code IS NULL OR parent_code = CASE level
             WHEN 'city'      THEN NULL
             WHEN 'district'  THEN substr(code, 1, 4) || '00000000'
             WHEN 'street'    THEN substr(code, 1, 6) || '000000'
             WHEN 'community' THEN substr(code, 1, 9) || '000'
           END),
    -- only a city or a district may stand at the top of an imported tree
    CHECK (parent_code IS NOT NULL OR level IN ('city', 'district'))
);
CREATE INDEX admin_area_geom_idx ON admin_area USING gist (geom);
CREATE INDEX admin_area_parent_idx ON admin_area (parent_code);

-- The prefix of a code that all its descendants share: used for scope and roll-ups.
CREATE FUNCTION area_code_prefix(code char(12), level text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
$$ SELECT substr(code, 1, CASE level WHEN 'city' THEN 4 WHEN 'district' THEN 6 WHEN 'street' THEN 9 ELSE 12 END) $$;

CREATE TABLE grid (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code            text NOT NULL UNIQUE CHECK (btrim(code) <> ''),
    name            text NOT NULL CHECK (btrim(name) <> ''),
    community_code  char(12) NOT NULL,
    community_level text NOT NULL DEFAULT 'community' CHECK (community_level = 'community'),
    geom            geometry(MultiPolygon, 4326),
    -- a grid belongs to a community, never to a street or a district
    FOREIGN KEY (community_code, community_level) REFERENCES admin_area (code, level)
);
CREATE INDEX grid_geom_idx ON grid USING gist (geom);
CREATE INDEX grid_community_idx ON grid (community_code);

-- Every place-bound row below carries area_code (the community it lies in) and grid_id,
-- filled by the spatial join at import, so that one scope predicate serves every table.
CREATE TABLE compound (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source                  text NOT NULL DEFAULT 'manual',
    external_id             text,
    name                    text NOT NULL CHECK (btrim(name) <> ''),
    has_property_management boolean NOT NULL,
    area_code               char(12) REFERENCES admin_area (code),
    grid_id                 bigint REFERENCES grid (id),
    geom                    geometry(MultiPolygon, 4326),
    UNIQUE (source, external_id)
);
CREATE INDEX compound_geom_idx ON compound USING gist (geom);
CREATE INDEX compound_area_idx ON compound (area_code);

CREATE TABLE building (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source               text NOT NULL DEFAULT 'manual',
    external_id          text,
    name                 text,
    address              text,
    compound_id          bigint REFERENCES compound (id),
    area_code            char(12) REFERENCES admin_area (code),
    grid_id              bigint REFERENCES grid (id),
    floors               integer CHECK (floors BETWEEN 1 AND 200),
    households           integer NOT NULL DEFAULT 0 CHECK (households >= 0),
    households_estimated boolean NOT NULL DEFAULT false,
    footprint            geometry(MultiPolygon, 4326),
    -- routing targets the entrance, not the footprint's centroid
    entrance             geometry(Point, 4326) NOT NULL,
    UNIQUE (source, external_id)
);
CREATE INDEX building_footprint_idx ON building USING gist (footprint);
CREATE INDEX building_entrance_idx ON building USING gist (entrance);
CREATE INDEX building_grid_idx ON building (grid_id);
CREATE INDEX building_area_idx ON building (area_code);
CREATE INDEX building_compound_idx ON building (compound_id);

CREATE TABLE unit (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    building_id bigint NOT NULL REFERENCES building (id) ON DELETE CASCADE,
    number      text NOT NULL CHECK (btrim(number) <> ''),
    households  integer NOT NULL DEFAULT 0 CHECK (households >= 0),
    entrance    geometry(Point, 4326),
    UNIQUE (building_id, number),
    UNIQUE (id, building_id)
);
CREATE INDEX unit_entrance_idx ON unit USING gist (entrance);

CREATE TABLE person (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source          text NOT NULL DEFAULT 'manual',
    external_id     text,
    name            text NOT NULL CHECK (btrim(name) <> ''),
    gender          text CHECK (gender IN ('female', 'male')),
    birth_date      date CHECK (birth_date > DATE '1890-01-01'),
    phone           text CHECK (phone ~ '^\+?[0-9][0-9 -]{4,19}$'),
    -- the ID number itself is never stored: a keyed hash finds duplicates, the last four identify
    id_number_hash  bytea CHECK (octet_length(id_number_hash) = 32),
    id_number_last4 char(4) CHECK (id_number_last4 ~ '^[0-9]{3}[0-9Xx]$'),
    building_id     bigint REFERENCES building (id),
    unit_id         bigint,
    room            text,
    area_code       char(12) REFERENCES admin_area (code),
    grid_id         bigint REFERENCES grid (id),
    location        geometry(Point, 4326),
    is_synthetic    boolean NOT NULL DEFAULT false,
    UNIQUE (source, external_id),
    UNIQUE (id_number_hash),
    -- a unit only ever within the person's own building
    FOREIGN KEY (unit_id, building_id) REFERENCES unit (id, building_id),
    CHECK (unit_id IS NULL OR building_id IS NOT NULL),
    CHECK ((id_number_hash IS NULL) = (id_number_last4 IS NULL))
);
CREATE INDEX person_location_idx ON person USING gist (location);
CREATE INDEX person_building_idx ON person (building_id);
CREATE INDEX person_grid_idx ON person (grid_id);
CREATE INDEX person_area_idx ON person (area_code);

CREATE TABLE key_person (
    person_id           bigint PRIMARY KEY REFERENCES person (id) ON DELETE CASCADE,
    categories          text[] NOT NULL CHECK (cardinality(categories) >= 1 AND categories <@ ARRAY[
        'elderly_alone', 'elderly_empty_nest', 'elderly_very_old', 'elderly_disabled',
        'disabled_in_difficulty',
        'child_left_behind', 'child_orphan', 'child_unsupported', 'child_disabled',
        'pregnant_postpartum', 'minimum_allowance', 'extreme_poverty',
        'severe_mental_disorder', 'home_treatment', 'chronic_condition']::text[]),
    risk_level          text NOT NULL CHECK (risk_level IN ('low', 'medium', 'high')),
    needs               text[] NOT NULL DEFAULT '{}' CHECK (needs <@ ARRAY[
        'medicine_delivery', 'meal_ordering', 'shopping', 'companionship',
        'psychological_support', 'medical_referral', 'garbage_pickup', 'homework_help']::text[]),
    -- NULL: the interval follows from category and risk (configured); a value overrides it
    visit_interval_days integer CHECK (visit_interval_days BETWEEN 1 AND 366),
    registered_on       date NOT NULL DEFAULT current_date,
    notes               text
);
CREATE INDEX key_person_categories_idx ON key_person USING gin (categories);

-- Who is responsible for what, and when. The responsible person of a key person (包保) is the
-- role 'responsible' scoped to that person. Each scope kind has its own column so that every
-- reference is a real foreign key; exactly the column named by scope_type is set.
CREATE TABLE role_assignment (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id         bigint NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    role              text NOT NULL CHECK (role IN (
        'grid_worker', 'community_worker', 'property_staff', 'building_head', 'unit_head',
        'delivery_squad', 'reserve', 'responsible')),
    scope_type        text NOT NULL CHECK (scope_type IN ('area', 'grid', 'compound', 'building', 'unit', 'person')),
    scope_area_code   char(12) REFERENCES admin_area (code),
    scope_grid_id     bigint REFERENCES grid (id) ON DELETE CASCADE,
    scope_compound_id bigint REFERENCES compound (id) ON DELETE CASCADE,
    scope_building_id bigint REFERENCES building (id) ON DELETE CASCADE,
    scope_unit_id     bigint REFERENCES unit (id) ON DELETE CASCADE,
    scope_person_id   bigint REFERENCES key_person (person_id) ON DELETE CASCADE,
    valid_from        date NOT NULL DEFAULT current_date,
    -- inclusive: an assignment that ended yesterday has valid_to = yesterday
    valid_to          date,
    CHECK (valid_to IS NULL OR valid_to >= valid_from),
    CHECK (num_nonnulls(scope_area_code, scope_grid_id, scope_compound_id, scope_building_id,
                        scope_unit_id, scope_person_id) = 1),
    CHECK (CASE scope_type
             WHEN 'area'     THEN scope_area_code IS NOT NULL
             WHEN 'grid'     THEN scope_grid_id IS NOT NULL
             WHEN 'compound' THEN scope_compound_id IS NOT NULL
             WHEN 'building' THEN scope_building_id IS NOT NULL
             WHEN 'unit'     THEN scope_unit_id IS NOT NULL
             WHEN 'person'   THEN scope_person_id IS NOT NULL
           END),
    CHECK (CASE role
             WHEN 'grid_worker'      THEN scope_type = 'grid'
             WHEN 'building_head'    THEN scope_type = 'building'
             WHEN 'unit_head'        THEN scope_type = 'unit'
             WHEN 'responsible'      THEN scope_type = 'person'
             WHEN 'community_worker' THEN scope_type IN ('area', 'grid')
             WHEN 'property_staff'   THEN scope_type IN ('compound', 'building')
             ELSE scope_type IN ('area', 'grid')
           END)
);
CREATE INDEX role_assignment_person_idx ON role_assignment (person_id);
CREATE INDEX role_assignment_building_idx ON role_assignment (scope_building_id) WHERE scope_building_id IS NOT NULL;
CREATE INDEX role_assignment_unit_idx ON role_assignment (scope_unit_id) WHERE scope_unit_id IS NOT NULL;
CREATE INDEX role_assignment_grid_idx ON role_assignment (scope_grid_id) WHERE scope_grid_id IS NOT NULL;
CREATE INDEX role_assignment_key_person_idx ON role_assignment (scope_person_id) WHERE scope_person_id IS NOT NULL;

CREATE TABLE volunteer (
    person_id     bigint PRIMARY KEY REFERENCES person (id) ON DELETE CASCADE,
    skills        text[] NOT NULL DEFAULT '{}',
    teams         text[] NOT NULL DEFAULT '{}' CHECK (teams <@ ARRAY[
        'medicine_delivery', 'silver_age', 'youth', 'social_worker']::text[]),
    travel_mode   text NOT NULL CHECK (travel_mode IN ('foot', 'bike', 'car')),
    capacity      integer NOT NULL DEFAULT 5 CHECK (capacity BETWEEN 1 AND 100),
    max_stops     integer CHECK (max_stops BETWEEN 1 AND 200),
    -- weekly availability in OSM opening_hours syntax, e.g. "Mo-Fr 18:00-21:00; Sa 09:00-12:00"
    availability  text,
    home          geometry(Point, 4326) NOT NULL,
    -- registered in the reserve force (机动力量), called out for surges
    is_reserve    boolean NOT NULL DEFAULT false,
    reserve_tier  text CHECK (reserve_tier IN ('city', 'county', 'street')),
    registered_on date NOT NULL DEFAULT current_date,
    CHECK (reserve_tier IS NULL OR is_reserve)
);
CREATE INDEX volunteer_home_idx ON volunteer USING gist (home);

CREATE TABLE facility (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source        text NOT NULL DEFAULT 'manual',
    external_id   text,
    kind          text NOT NULL CHECK (kind IN (
        'pharmacy', 'clinic', 'village_clinic', 'community_health_centre', 'hospital',
        'social_work_station', 'volunteer_service_station', 'community_office')),
    name          text NOT NULL CHECK (btrim(name) <> ''),
    -- OSM opening_hours syntax; NULL means unknown, not "always open"
    opening_hours text,
    phone         text,
    address       text,
    area_code     char(12) REFERENCES admin_area (code),
    grid_id       bigint REFERENCES grid (id),
    location      geometry(Point, 4326) NOT NULL,
    UNIQUE (source, external_id)
);
CREATE INDEX facility_location_idx ON facility USING gist (location);
CREATE INDEX facility_kind_idx ON facility (kind);
CREATE INDEX facility_area_idx ON facility (area_code);

CREATE TABLE micro_organisation (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL CHECK (btrim(name) <> ''),
    kind        text,
    area_code   char(12) NOT NULL REFERENCES admin_area (code),
    compound_id bigint REFERENCES compound (id),
    founded_on  date,
    active      boolean NOT NULL DEFAULT true
);
CREATE INDEX micro_organisation_area_idx ON micro_organisation (area_code);

CREATE TABLE visit (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_person_id     bigint NOT NULL REFERENCES key_person (person_id) ON DELETE CASCADE,
    visitor_person_id bigint REFERENCES person (id),
    visited_at        timestamptz NOT NULL,
    -- 上门 / 电话 / 短信 / 微信
    method            text NOT NULL CHECK (method IN ('door', 'phone', 'sms', 'wechat')),
    findings          text,
    needs_found       text[] NOT NULL DEFAULT '{}' CHECK (needs_found <@ ARRAY[
        'medicine_delivery', 'meal_ordering', 'shopping', 'companionship',
        'psychological_support', 'medical_referral', 'garbage_pickup', 'homework_help']::text[]),
    follow_up         text,
    escalated         boolean NOT NULL DEFAULT false,
    escalation_note   text,
    recorded_by       text NOT NULL,
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (escalated OR escalation_note IS NULL)
);
CREATE INDEX visit_key_person_idx ON visit (key_person_id, visited_at DESC);

CREATE TABLE delivery_request (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_person_id bigint NOT NULL REFERENCES key_person (person_id) ON DELETE CASCADE,
    items         text NOT NULL CHECK (btrim(items) <> ''),
    demand        integer NOT NULL DEFAULT 1 CHECK (demand BETWEEN 1 AND 100),
    urgency       text NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal', 'urgent')),
    window_start  timestamptz,
    window_end    timestamptz,
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN (
        'pending', 'planned', 'in_progress', 'delivered', 'cancelled', 'unservable')),
    -- the pharmacy the request must be picked up from; NULL lets the planner choose
    facility_id   bigint REFERENCES facility (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text NOT NULL,
    CHECK (window_start IS NULL OR window_end IS NULL OR window_end > window_start)
);
CREATE INDEX delivery_request_status_idx ON delivery_request (status);

CREATE TABLE route_plan (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind              text NOT NULL CHECK (kind IN ('delivery', 'visit')),
    status            text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'done', 'cancelled')),
    solver            text NOT NULL,
    parameters        jsonb NOT NULL DEFAULT '{}',
    total_distance_m  double precision NOT NULL DEFAULT 0 CHECK (total_distance_m >= 0),
    total_duration_s  double precision NOT NULL DEFAULT 0 CHECK (total_duration_s >= 0),
    created_at        timestamptz NOT NULL DEFAULT now(),
    created_by        text NOT NULL
);

CREATE TABLE route (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id            bigint NOT NULL REFERENCES route_plan (id) ON DELETE CASCADE,
    assignee_person_id bigint NOT NULL REFERENCES person (id),
    profile            text NOT NULL CHECK (profile IN ('foot', 'bike', 'car')),
    geom               geometry(LineString, 4326),
    distance_m         double precision NOT NULL CHECK (distance_m >= 0),
    duration_s         double precision NOT NULL CHECK (duration_s >= 0),
    UNIQUE (plan_id, assignee_person_id)
);
CREATE INDEX route_geom_idx ON route USING gist (geom);

CREATE TABLE route_stop (
    route_id            bigint NOT NULL REFERENCES route (id) ON DELETE CASCADE,
    seq                 integer NOT NULL CHECK (seq >= 0),
    kind                text NOT NULL CHECK (kind IN ('start', 'pickup', 'delivery', 'visit', 'end')),
    delivery_request_id bigint REFERENCES delivery_request (id),
    facility_id         bigint REFERENCES facility (id),
    person_id           bigint REFERENCES person (id),
    location            geometry(Point, 4326) NOT NULL,
    arrival             timestamptz,
    departure           timestamptz,
    PRIMARY KEY (route_id, seq),
    CHECK (kind <> 'delivery' OR delivery_request_id IS NOT NULL),
    CHECK (kind <> 'pickup' OR facility_id IS NOT NULL),
    CHECK (kind <> 'visit' OR person_id IS NOT NULL),
    CHECK (departure IS NULL OR arrival IS NULL OR departure >= arrival)
);
CREATE INDEX route_stop_location_idx ON route_stop USING gist (location);

-- Requests a plan could not serve, with the reason the optimiser gave.
CREATE TABLE route_plan_unassigned (
    plan_id             bigint NOT NULL REFERENCES route_plan (id) ON DELETE CASCADE,
    delivery_request_id bigint NOT NULL REFERENCES delivery_request (id),
    reason              text NOT NULL,
    PRIMARY KEY (plan_id, delivery_request_id)
);

CREATE TABLE app_user (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username        text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9_.-]{2,64}$'),
    display_name    text,
    password_hash   text NOT NULL,
    roles           text[] NOT NULL CHECK (cardinality(roles) >= 1 AND roles <@ ARRAY[
        'ADMIN', 'PLANNER', 'DISPATCHER', 'GRID_WORKER', 'VOLUNTEER']::text[]),
    -- the area the user works in; a grid worker is scoped to a grid
    scope_area_code char(12) REFERENCES admin_area (code),
    scope_grid_id   bigint REFERENCES grid (id),
    -- the user's own person record (a volunteer's, a grid worker's), if any
    person_id       bigint REFERENCES person (id),
    enabled         boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (num_nonnulls(scope_area_code, scope_grid_id) <= 1),
    -- only an administrator may see everything
    CHECK ('ADMIN' = ANY (roles) OR num_nonnulls(scope_area_code, scope_grid_id) = 1),
    CHECK (NOT ('GRID_WORKER' = ANY (roles)) OR scope_grid_id IS NOT NULL)
);

-- Every read of personal data leaves a row here. Rows are never changed or removed.
CREATE TABLE audit_log (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    username  text NOT NULL,
    action    text NOT NULL,
    endpoint  text NOT NULL,
    -- no foreign key: the trail must outlive the person record
    person_id bigint,
    detail    jsonb
);
CREATE INDEX audit_log_person_idx ON audit_log (person_id, at);
CREATE INDEX audit_log_at_idx ON audit_log (at);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
