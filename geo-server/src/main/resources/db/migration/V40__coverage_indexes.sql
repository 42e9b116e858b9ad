-- CoverageCounts asks which places changed since a snapshot: the rows of transactions it did not see all have
-- xids at or above the snapshot's xmin, so this index skips the (many, under steady writes) rows it saw.
CREATE INDEX coverage_change_xid_idx ON coverage_change (xid);

-- A key person's state is found by grid through coverage_key_person_due_idx (grid_id, due_on) as well: one index
-- fewer to keep on every write of a key person's state.
DROP INDEX coverage_key_person_grid_idx;
