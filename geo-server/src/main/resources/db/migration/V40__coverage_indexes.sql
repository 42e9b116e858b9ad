-- CoverageCounts asks which places changed since a snapshot: the rows of transactions it did not see all have
-- xids at or above the snapshot's xmin, so this index skips the (many, under steady writes) rows it saw.
CREATE INDEX coverage_change_xid_idx ON coverage_change (xid);

-- A key person's state is found by grid through coverage_key_person_due_idx (grid_id, due_on) as well: one index
-- fewer to keep on every write of a key person's state.
DROP INDEX coverage_key_person_grid_idx;

-- Which table changed, too: a summary then counts again, in the grids that changed, only the metrics that read it
-- (Metric.maintainedTables); a visit leaves the heads' and the grids' counts standing.
ALTER TABLE coverage_change ADD COLUMN tab text;

CREATE OR REPLACE FUNCTION record_coverage_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
    rows text;
BEGIN
    FOREACH rows IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY['new_rows'] WHEN 'DELETE' THEN ARRAY['old_rows']
                                     ELSE ARRAY['old_rows', 'new_rows'] END
    LOOP
        EXECUTE format('INSERT INTO coverage_change (grid_id, area_code, tab) SELECT DISTINCT *, %L FROM (%s) x',
                       TG_TABLE_NAME, coverage_change_rows(TG_TABLE_NAME, rows));
    END LOOP;
    RETURN NULL;
END
$$;

REVOKE EXECUTE ON FUNCTION record_coverage_change() FROM PUBLIC;
