-- One visit is one row (issue 10): the same key person, at the same instant, by the same method and the same
-- visitor (or none) is the same visit, however often it is sent or imported. The API and the ledger import
-- checked this in code only; two requests at once could both pass the check. Now a unique index says it.
--
-- Visits already stored twice are kept: the ledger is append-only and stop_outcome.visit_id may point at
-- either copy, so none is deleted. The later copies are marked as duplicates of the first (lowest id) and
-- the index covers only unmarked rows; the overdue figures count visit days, which the copies do not change.
ALTER TABLE visit ADD COLUMN duplicate_of bigint REFERENCES visit (id);
ALTER TABLE visit ADD CONSTRAINT visit_duplicate_of_earlier CHECK (duplicate_of < id);

UPDATE visit v SET duplicate_of = d.first_id
  FROM (SELECT id, min(id) OVER (PARTITION BY key_person_id, visited_at, method, visitor_person_id) AS first_id
          FROM visit) d
 WHERE d.id = v.id AND d.first_id <> v.id;

-- NULLS NOT DISTINCT: two visits without a named visitor are the same visit too
CREATE UNIQUE INDEX visit_same_visit_idx ON visit (key_person_id, visited_at, method, visitor_person_id)
    NULLS NOT DISTINCT WHERE duplicate_of IS NULL;
