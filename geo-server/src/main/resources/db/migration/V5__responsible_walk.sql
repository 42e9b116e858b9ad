-- The walk from each key person's home to the home of each of their responsible persons (包保),
-- found on the road network by the routing service, so that the responsible-distance metric uses
-- walking distance, not a straight line. Refreshed when the network is ready and on demand.
CREATE TABLE responsible_walk (
    key_person_id         bigint NOT NULL REFERENCES key_person (person_id) ON DELETE CASCADE,
    responsible_person_id bigint NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    status                text NOT NULL CHECK (status IN ('reached', 'unreachable')),
    distance_m            double precision CHECK (distance_m >= 0),
    duration_s            double precision CHECK (duration_s >= 0),
    computed_at           timestamptz NOT NULL,
    graph_key             text,
    PRIMARY KEY (key_person_id, responsible_person_id),
    CHECK ((status = 'reached') = (distance_m IS NOT NULL AND duration_s IS NOT NULL))
);
