-- CoverageCounts asks which places changed since a snapshot: the rows of transactions it did not see all have
-- xids at or above the snapshot's xmin, so this index skips the (many, under steady writes) rows it saw.
CREATE INDEX coverage_change_xid_idx ON coverage_change (xid);
