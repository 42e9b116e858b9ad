-- Which grids' coverage changed, and in which transaction: the server keeps each place's counts per day
-- (coverage/CoverageCounts) with the snapshot they were read in, and counts a place again only when a
-- transaction that snapshot did not see changed the state of that place. A summary a planner opens again is
-- then one look at this table, not a pass over every key person, and a write in one grid leaves the other
-- places' counts standing. The statement triggers below cover every table the maintained counts are read
-- from; a metric that reads another table must add it here. area_code NULL: no place known, every count.
-- Rows that every cached count has seen are pruned by the server.
CREATE TABLE coverage_change (
    xid       xid8 NOT NULL DEFAULT pg_current_xact_id(),
    grid_id   bigint,
    area_code char(12)
);

CREATE FUNCTION coverage_change_rows(tab text, rows text) RETURNS text
    LANGUAGE sql IMMUTABLE AS
$$ SELECT format(CASE
    WHEN tab IN ('coverage_building', 'coverage_unit', 'coverage_key_person', 'coverage_responsible')
        THEN 'SELECT r.grid_id, r.area_code FROM %1$I r'
    WHEN tab IN ('coverage_grid_member', 'coverage_grid_tally', 'coverage_grid_closed')
        THEN 'SELECT r.grid_id, g.community_code FROM %1$I r LEFT JOIN grid g ON g.id = r.grid_id'
    WHEN tab = 'grid' THEN 'SELECT r.id, r.community_code FROM %1$I r'
    -- a past day's visits are read from the ledger itself (Metric VISITS)
    WHEN tab = 'visit' THEN 'SELECT c.grid_id, c.area_code FROM %1$I r LEFT JOIN coverage_key_person c ON c.person_id = r.key_person_id'
    ELSE 'SELECT NULL::bigint, NULL::char(12) FROM %1$I r' END, rows) $$;

-- SECURITY DEFINER: the place of a row must be found whatever rows the writing role may see.
CREATE FUNCTION record_coverage_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
    rows text;
BEGIN
    FOREACH rows IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY['new_rows'] WHEN 'DELETE' THEN ARRAY['old_rows']
                                     ELSE ARRAY['old_rows', 'new_rows'] END
    LOOP
        EXECUTE format('INSERT INTO coverage_change (grid_id, area_code) SELECT DISTINCT * FROM (%s) x',
                       coverage_change_rows(TG_TABLE_NAME, rows));
    END LOOP;
    RETURN NULL;
END
$$;

REVOKE EXECUTE ON FUNCTION record_coverage_change() FROM PUBLIC;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['coverage_building', 'coverage_unit', 'coverage_key_person', 'coverage_responsible',
                             'coverage_grid_member', 'coverage_grid_tally', 'coverage_grid_closed', 'grid', 'visit']
    LOOP
        EXECUTE format('CREATE TRIGGER %1$I AFTER INSERT ON %2$I REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION record_coverage_change()', t || '_coverage_change_insert', t);
        EXECUTE format('CREATE TRIGGER %1$I AFTER UPDATE ON %2$I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION record_coverage_change()', t || '_coverage_change_update', t);
        EXECUTE format('CREATE TRIGGER %1$I AFTER DELETE ON %2$I REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION record_coverage_change()', t || '_coverage_change_delete', t);
    END LOOP;
END
$$;
