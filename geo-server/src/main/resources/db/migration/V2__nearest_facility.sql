-- The walk from each key person's home to the nearest health facility (pharmacy, clinic, village
-- clinic, community health centre), computed by the routing module's multi-source search and
-- stored so that the coverage metrics stay set-based SQL. computed_at shows how fresh it is.
CREATE TABLE nearest_facility (
    person_id      bigint NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    facility_group text NOT NULL CHECK (facility_group IN ('health')),
    status         text NOT NULL CHECK (status IN ('reached', 'unsnappable', 'unreachable')),
    facility_id    bigint REFERENCES facility (id) ON DELETE CASCADE,
    distance_m     double precision CHECK (distance_m >= 0),
    duration_s     double precision CHECK (duration_s >= 0),
    profile        text NOT NULL DEFAULT 'foot' CHECK (profile IN ('foot', 'bike', 'car')),
    computed_at    timestamptz NOT NULL,
    -- which road network it came from (the OSM file's checksum), to know when to refresh
    graph_key      text,
    PRIMARY KEY (person_id, facility_group),
    CHECK ((status = 'reached') = (facility_id IS NOT NULL AND distance_m IS NOT NULL AND duration_s IS NOT NULL))
);
