-- The columns that refer to a visit, indexed where they are set. Deleting a visit checks each of them (need's
-- ON DELETE SET NULL, a duplicate's duplicate_of, a stop's outcome) and found them by reading the whole table: at 1 M
-- residents one visit took 8.7 s to delete (need 1.8 s, visit 2.2 s, cold), and a benchmark's take-back of its
-- writers' 1 600 visits ran for minutes (over ten at 10 M). Visits are not deleted in use; the benchmarks and the
-- tests take theirs back. Most rows refer to no visit (a profile's need, a visit that is no duplicate), hence partial.
CREATE INDEX need_visit_idx ON need (visit_id) WHERE visit_id IS NOT NULL;
CREATE INDEX visit_duplicate_of_idx ON visit (duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX stop_outcome_visit_idx ON stop_outcome (visit_id) WHERE visit_id IS NOT NULL;
