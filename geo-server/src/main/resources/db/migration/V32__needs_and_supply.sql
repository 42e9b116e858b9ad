-- 需求清单 / 供给清单 (issue 13): the needs of key persons as rows with a life of their own
-- (open → taken → done, or escalated to the street with a note), and what organisations, micro-organisations,
-- social-work stations and volunteers offer (供给), so that a need can be matched and taken (接单).
--
-- Where needs come from (kept here, by triggers, so that the API, imports and psql all obey the same rule):
--   * a visit's needs found open a need of each kind, unless one of that kind is already unresolved (open,
--     taken or escalated) for that person; an escalated visit opens its needs as escalated, with its note;
--   * a kind added to a key person's profile (key_person.needs) opens a need unless one is unresolved.
-- Urgency: urgent when the visit was escalated or the person's risk is high, else normal.
-- Nothing is deleted: the server's role has no DELETE policy on either table; a need ends as done, a
-- supply ends on a day (ended_on).

CREATE TABLE supply (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider_kind       text NOT NULL CHECK (provider_kind IN (
        'organisation', 'micro_organisation', 'social_work_station', 'volunteer')),
    organisation_id     bigint REFERENCES micro_organisation (id),
    facility_id         bigint REFERENCES facility (id),
    volunteer_person_id bigint REFERENCES volunteer (person_id),
    kind                text NOT NULL CHECK (kind IN (
        'medicine_delivery', 'meal_ordering', 'shopping', 'companionship',
        'psychological_support', 'medical_referral', 'garbage_pickup', 'homework_help')),
    -- the area served: a community, a street or a whole district (its code prefix decides who is in it)
    area_code           char(12) NOT NULL REFERENCES admin_area (code),
    -- where the help starts from, for the walking distance to a need
    location            geometry(Point, 4326) NOT NULL,
    capacity_per_week   integer NOT NULL CHECK (capacity_per_week BETWEEN 1 AND 1000),
    times               text CHECK (length(times) <= 200),
    note                text CHECK (length(note) <= 500),
    starts_on           date NOT NULL,
    -- inclusive: a supply ended yesterday has ended_on = yesterday
    ended_on            date,
    created_by          text NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    version             integer NOT NULL DEFAULT 1,
    CHECK (ended_on IS NULL OR ended_on >= starts_on - 1),
    CHECK (CASE provider_kind
             WHEN 'volunteer' THEN volunteer_person_id IS NOT NULL AND num_nonnulls(organisation_id, facility_id) = 0
             WHEN 'social_work_station' THEN facility_id IS NOT NULL AND num_nonnulls(organisation_id, volunteer_person_id) = 0
             ELSE organisation_id IS NOT NULL AND num_nonnulls(facility_id, volunteer_person_id) = 0 END)
);
CREATE INDEX supply_location_idx ON supply USING gist (location);
CREATE INDEX supply_kind_idx ON supply (kind) WHERE ended_on IS NULL;

CREATE TABLE need (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- the ledger's own deletions (a key person's record removed in psql) take their needs with them, as visits
    key_person_id   bigint NOT NULL REFERENCES key_person (person_id) ON DELETE CASCADE,
    kind            text NOT NULL CHECK (kind IN (
        'medicine_delivery', 'meal_ordering', 'shopping', 'companionship',
        'psychological_support', 'medical_referral', 'garbage_pickup', 'homework_help')),
    urgency         text NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal', 'urgent')),
    source          text NOT NULL CHECK (source IN ('profile', 'visit')),
    visit_id        bigint REFERENCES visit (id) ON DELETE SET NULL,
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'taken', 'done', 'escalated')),
    opened_at       timestamptz NOT NULL DEFAULT now(),
    taken_at        timestamptz,
    taken_supply_id bigint REFERENCES supply (id),
    taken_by        text,
    escalated_at    timestamptz,
    escalation_note text CHECK (length(escalation_note) <= 2000),
    escalated_by    text,
    done_at         timestamptz,
    done_by         text,
    note            text CHECK (length(note) <= 2000),
    version         integer NOT NULL DEFAULT 1,
    CHECK (visit_id IS NULL OR source = 'visit'),
    CHECK ((taken_at IS NULL) = (taken_supply_id IS NULL)),
    CHECK (status <> 'taken' OR taken_supply_id IS NOT NULL),
    CHECK (status <> 'escalated' OR escalation_note IS NOT NULL),
    CHECK ((status = 'done') = (done_at IS NOT NULL))
);
-- one unresolved need of a kind per person: the rule the triggers below rely on (ON CONFLICT)
CREATE UNIQUE INDEX need_one_unresolved ON need (key_person_id, kind) WHERE status IN ('open', 'taken', 'escalated');
CREATE INDEX need_status_idx ON need (status, opened_at);
CREATE INDEX need_supply_idx ON need (taken_supply_id, taken_at) WHERE taken_supply_id IS NOT NULL;

CREATE TRIGGER supply_version BEFORE UPDATE ON supply FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER need_version BEFORE UPDATE ON need FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER supply_history_insert AFTER INSERT ON supply REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_change('supply', 'id');
CREATE TRIGGER supply_history_update AFTER UPDATE ON supply REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_change('supply', 'id');
CREATE TRIGGER need_history_insert AFTER INSERT ON need REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_change('need', 'id');
CREATE TRIGGER need_history_update AFTER UPDATE ON need REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_change('need', 'id');

-- A visit's needs found. Runs as the caller, who sees the visited person (row-level security holds).
CREATE FUNCTION need_from_visits() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
    INSERT INTO need (key_person_id, kind, urgency, source, visit_id, status, opened_at,
                      escalated_at, escalation_note, escalated_by)
    SELECT DISTINCT ON (v.key_person_id, f.kind)
           v.key_person_id, f.kind,
           CASE WHEN v.escalated OR k.risk_level = 'high' THEN 'urgent' ELSE 'normal' END,
           'visit', v.id, CASE WHEN v.escalated THEN 'escalated' ELSE 'open' END, v.visited_at,
           CASE WHEN v.escalated THEN v.visited_at END,
           CASE WHEN v.escalated THEN coalesce(v.escalation_note, '') END,
           CASE WHEN v.escalated THEN v.recorded_by END
      FROM new_rows v
      CROSS JOIN LATERAL unnest(v.needs_found) AS f (kind)
      JOIN key_person k ON k.person_id = v.key_person_id
     ORDER BY v.key_person_id, f.kind, v.visited_at, v.id
        ON CONFLICT (key_person_id, kind) WHERE status IN ('open', 'taken', 'escalated') DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER visit_opens_needs AFTER INSERT ON visit REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION need_from_visits();

-- A key person's profile needs: on registration every kind, on an edit the kinds added.
CREATE FUNCTION need_from_profiles() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO need (key_person_id, kind, urgency, source)
        SELECT k.person_id, f.kind, CASE WHEN k.risk_level = 'high' THEN 'urgent' ELSE 'normal' END, 'profile'
          FROM new_rows k CROSS JOIN LATERAL unnest(k.needs) AS f (kind)
            ON CONFLICT (key_person_id, kind) WHERE status IN ('open', 'taken', 'escalated') DO NOTHING;
    ELSE
        INSERT INTO need (key_person_id, kind, urgency, source)
        SELECT k.person_id, f.kind, CASE WHEN k.risk_level = 'high' THEN 'urgent' ELSE 'normal' END, 'profile'
          FROM new_rows k JOIN old_rows o ON o.person_id = k.person_id
          CROSS JOIN LATERAL unnest(k.needs) AS f (kind)
         WHERE NOT f.kind = ANY (o.needs)
            ON CONFLICT (key_person_id, kind) WHERE status IN ('open', 'taken', 'escalated') DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER key_person_opens_needs_insert AFTER INSERT ON key_person REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION need_from_profiles();
CREATE TRIGGER key_person_opens_needs_update AFTER UPDATE ON key_person REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION need_from_profiles();

-- The profiles already registered: their needs are open from today (nobody knows since when before).
INSERT INTO need (key_person_id, kind, urgency, source)
SELECT k.person_id, f.kind, CASE WHEN k.risk_level = 'high' THEN 'urgent' ELSE 'normal' END, 'profile'
  FROM key_person k CROSS JOIN LATERAL unnest(k.needs) AS f (kind);

-- How many needs a supply has taken since a day: counts, not persons, so every caller gets the true figure
-- even when some of those needs lie outside their scope. SECURITY DEFINER: reads need as the owner.
CREATE FUNCTION supply_taken_since(supply_id bigint, since date, tz text) RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT count(*) FROM need n WHERE n.taken_supply_id = $1 AND (n.taken_at AT TIME ZONE $3)::date >= $2 $$;

-- Row-level security. A need is seen (and changed) by those who see its person (V6's person policy).
ALTER TABLE need ENABLE ROW LEVEL SECURITY;
ALTER TABLE need FORCE ROW LEVEL SECURITY;
CREATE POLICY need_read ON need FOR SELECT
    USING (caregrid_sees_everything() OR EXISTS (SELECT 1 FROM person p WHERE p.id = need.key_person_id));
CREATE POLICY need_add ON need FOR INSERT
    WITH CHECK (caregrid_sees_everything() OR EXISTS (SELECT 1 FROM person p WHERE p.id = need.key_person_id));
CREATE POLICY need_change ON need FOR UPDATE
    USING (caregrid_sees_everything() OR EXISTS (SELECT 1 FROM person p WHERE p.id = need.key_person_id));

-- A supply serving area_code is seen by callers whose scope overlaps it (a street's social-work station by
-- each community of the street), and written only by callers whose scope contains all of it.
CREATE FUNCTION caregrid_served_visible(code char(12)) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT CASE caregrid_scope_kind()
            WHEN 'system' THEN true
            WHEN 'everywhere' THEN true
            WHEN 'area' THEN EXISTS (SELECT 1 FROM admin_area a WHERE a.code = $1
                                       AND (starts_with(a.code, current_setting('caregrid.scope_prefix', true))
                                            OR starts_with(current_setting('caregrid.scope_prefix', true),
                                                           area_code_prefix(a.code, a.level))))
            WHEN 'grid' THEN EXISTS (SELECT 1 FROM grid g JOIN admin_area a ON a.code = $1
                                      WHERE g.id = nullif(current_setting('caregrid.scope_grid', true), '')::bigint
                                        AND starts_with(g.community_code, area_code_prefix(a.code, a.level)))
            ELSE false
          END $$;

CREATE FUNCTION caregrid_served_writable(code char(12)) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT CASE caregrid_scope_kind()
            WHEN 'system' THEN true
            WHEN 'everywhere' THEN true
            WHEN 'area' THEN starts_with($1, current_setting('caregrid.scope_prefix', true))
            WHEN 'grid' THEN EXISTS (SELECT 1 FROM grid g
                                      WHERE g.id = nullif(current_setting('caregrid.scope_grid', true), '')::bigint
                                        AND g.community_code = $1)
            ELSE false
          END $$;

ALTER TABLE supply ENABLE ROW LEVEL SECURITY;
ALTER TABLE supply FORCE ROW LEVEL SECURITY;
CREATE POLICY supply_read ON supply FOR SELECT USING (caregrid_served_visible(area_code));
CREATE POLICY supply_add ON supply FOR INSERT WITH CHECK (caregrid_served_writable(area_code));
CREATE POLICY supply_change ON supply FOR UPDATE
    USING (caregrid_served_writable(area_code)) WITH CHECK (caregrid_served_writable(area_code));
