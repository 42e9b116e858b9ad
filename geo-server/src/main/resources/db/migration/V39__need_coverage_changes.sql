-- The needs-open metric is now counted from the need table joined to the maintained key persons (one row per key
-- person, not the whole person register), and so its counts are kept between requests like the other maintained
-- metrics (coverage/CoverageCounts). A need opened, taken, escalated or done must then say which place changed,
-- as V38's tables do: a need's place is its key person's.
CREATE OR REPLACE FUNCTION coverage_change_rows(tab text, rows text) RETURNS text
    LANGUAGE sql IMMUTABLE AS
$$ SELECT format(CASE
    WHEN tab IN ('coverage_building', 'coverage_unit', 'coverage_key_person', 'coverage_responsible')
        THEN 'SELECT r.grid_id, r.area_code FROM %1$I r'
    WHEN tab IN ('coverage_grid_member', 'coverage_grid_tally', 'coverage_grid_closed')
        THEN 'SELECT r.grid_id, g.community_code FROM %1$I r LEFT JOIN grid g ON g.id = r.grid_id'
    WHEN tab = 'grid' THEN 'SELECT r.id, r.community_code FROM %1$I r'
    -- a past day's visits are read from the ledger itself (Metric VISITS); needs are read from their table
    WHEN tab IN ('visit', 'need')
        THEN 'SELECT c.grid_id, c.area_code FROM %1$I r LEFT JOIN coverage_key_person c ON c.person_id = r.key_person_id'
    ELSE 'SELECT NULL::bigint, NULL::char(12) FROM %1$I r' END, rows) $$;

CREATE TRIGGER need_coverage_change_insert AFTER INSERT ON need REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_coverage_change();
CREATE TRIGGER need_coverage_change_update AFTER UPDATE ON need REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_coverage_change();
CREATE TRIGGER need_coverage_change_delete AFTER DELETE ON need REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION record_coverage_change();

-- the metric's range: needs by person, and those still waiting on a day
CREATE INDEX need_key_person_idx ON need (key_person_id);
