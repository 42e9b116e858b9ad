-- The maintained state took 10.4 % of the persons table at 1 M residents (target: under 10 %). Two things were
-- wasted.

-- The area indexes are never read. V49 kept them for a street's first counts, but those are read as
-- caregrid_app, under the row-level policies, and PostgreSQL makes an index condition only of a leakproof
-- operator there (a LIKE is not): idx_scan stayed 0 on all four through every `bench coverage` run. 1.9 MB.
DROP INDEX coverage_key_person_area_idx;
DROP INDEX coverage_responsible_area_idx;
DROP INDEX coverage_unit_area_idx;
DROP INDEX coverage_building_area_idx;

-- A key person's row carried 8 bytes of alignment padding (a date after a range, the building's bigint after a
-- boolean): 184 bytes a row, 176 with the fixed-width columns first, widest first, and the variable ones last
-- (short variable values need no alignment). PostgreSQL keeps columns in the order they were made, so the table is
-- made again; its policy, triggers and indexes with it, as V20, V38, V41, V43 and V49 left them. Privileges are
-- granted at each start (DatabaseRoles).
CREATE TABLE coverage_key_person_compact (
    person_id            bigint PRIMARY KEY,
    grid_id              bigint,
    building_id          bigint,
    estimate_facility_id bigint,
    estimate_m           double precision,
    pharmacy_minutes     double precision,
    pharmacy_computed_at timestamptz,
    walks_computed_at    timestamptz,
    registered_on        date NOT NULL,
    interval_days        integer NOT NULL,
    last_visit_on        date,
    due_on               date NOT NULL,
    closed_on            date,
    medicine_need        boolean NOT NULL,
    pharmacy_ok          boolean,
    area_code            char(12),
    home                 geometry(Point, 4326),
    responsible_days     datemultirange NOT NULL,
    visit_ok_days        datemultirange NOT NULL,
    pharmacy_status      text
);
INSERT INTO coverage_key_person_compact (person_id, grid_id, building_id, estimate_facility_id, estimate_m,
        pharmacy_minutes, pharmacy_computed_at, walks_computed_at, registered_on, interval_days, last_visit_on, due_on,
        closed_on, medicine_need, pharmacy_ok, area_code, home, responsible_days, visit_ok_days, pharmacy_status)
SELECT person_id, grid_id, building_id, estimate_facility_id, estimate_m,
       pharmacy_minutes, pharmacy_computed_at, walks_computed_at, registered_on, interval_days, last_visit_on, due_on,
       closed_on, medicine_need, pharmacy_ok, area_code, home, responsible_days, visit_ok_days, pharmacy_status
  FROM coverage_key_person ORDER BY person_id;

DROP TABLE coverage_key_person;
ALTER TABLE coverage_key_person_compact RENAME TO coverage_key_person;
ALTER INDEX coverage_key_person_compact_pkey RENAME TO coverage_key_person_pkey;

CREATE INDEX coverage_key_person_due_idx ON coverage_key_person (grid_id, due_on);
CREATE INDEX coverage_key_person_due_day_idx ON coverage_key_person (due_on);
CREATE INDEX coverage_key_person_last_visit_idx ON coverage_key_person (last_visit_on);
CREATE INDEX coverage_key_person_estimate_idx ON coverage_key_person (estimate_facility_id) WHERE pharmacy_status IS NULL;
CREATE INDEX coverage_key_person_pharmacy_gap_idx ON coverage_key_person (pharmacy_minutes DESC NULLS LAST, person_id)
    WHERE pharmacy_ok IS NOT TRUE;

ALTER TABLE coverage_key_person ENABLE ROW LEVEL SECURITY;
ALTER TABLE coverage_key_person FORCE ROW LEVEL SECURITY;
CREATE POLICY coverage_key_person_in_scope ON coverage_key_person
    USING ((SELECT caregrid_sees_everything())
           OR caregrid_place_visible(area_code, grid_id) AND (NOT caregrid_own_only() OR caregrid_is_own_person(person_id)));

CREATE TRIGGER coverage_key_person_coverage_change_insert AFTER INSERT ON coverage_key_person
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION record_coverage_change();
CREATE TRIGGER coverage_key_person_coverage_change_update AFTER UPDATE ON coverage_key_person
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION record_coverage_change();
CREATE TRIGGER coverage_key_person_coverage_change_delete AFTER DELETE ON coverage_key_person
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION record_coverage_change();

ANALYZE coverage_key_person;
