-- When the walks to the nearest health facility were last checked against the road network. A refresh now writes
-- only the rows whose walk changed: rewriting every row (106 731 on the 1 M-resident district), with the coverage
-- upkeep its triggers do, was 4.7 s of a 5.1 s refresh. The rows it leaves alone were checked too, so the figures'
-- freshness is the later of a row's computed_at (when its walk was found) and this time.
CREATE TABLE walk_refresh (
    facility_group text PRIMARY KEY CHECK (facility_group IN ('health')),
    refreshed_at   timestamptz NOT NULL,
    graph_key      text
);

INSERT INTO walk_refresh (facility_group, refreshed_at, graph_key)
SELECT 'health', max(computed_at), max(graph_key) FROM nearest_facility WHERE facility_group = 'health'
HAVING count(*) > 0;

COMMENT ON COLUMN nearest_facility.computed_at IS
    'when the refresh that found this walk ran; every later refresh checked it again (walk_refresh.refreshed_at)';
