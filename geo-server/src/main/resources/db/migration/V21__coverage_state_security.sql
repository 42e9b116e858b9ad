-- The maintained coverage state (V20) holds per-person and per-place rows: the same row-level
-- security as the tables it is derived from (V6), by the area and grid each row carries.

ALTER TABLE coverage_building ENABLE ROW LEVEL SECURITY;
ALTER TABLE coverage_building FORCE ROW LEVEL SECURITY;
CREATE POLICY coverage_building_in_scope ON coverage_building USING (caregrid_place_visible(area_code, grid_id));

ALTER TABLE coverage_unit ENABLE ROW LEVEL SECURITY;
ALTER TABLE coverage_unit FORCE ROW LEVEL SECURITY;
CREATE POLICY coverage_unit_in_scope ON coverage_unit USING (caregrid_place_visible(area_code, grid_id));

ALTER TABLE coverage_key_person ENABLE ROW LEVEL SECURITY;
ALTER TABLE coverage_key_person FORCE ROW LEVEL SECURITY;
CREATE POLICY coverage_key_person_in_scope ON coverage_key_person
    USING (caregrid_place_visible(area_code, grid_id) AND (NOT caregrid_own_only() OR caregrid_is_own_person(person_id)));

ALTER TABLE coverage_responsible ENABLE ROW LEVEL SECURITY;
ALTER TABLE coverage_responsible FORCE ROW LEVEL SECURITY;
CREATE POLICY coverage_responsible_in_scope ON coverage_responsible
    USING (caregrid_place_visible(area_code, grid_id) AND (NOT caregrid_own_only() OR caregrid_is_own_person(person_id)));

ALTER TABLE coverage_grid_member ENABLE ROW LEVEL SECURITY;
ALTER TABLE coverage_grid_member FORCE ROW LEVEL SECURITY;
CREATE POLICY coverage_grid_member_in_scope ON coverage_grid_member USING (caregrid_grid_visible(grid_id));

-- every geometry column has a spatial index (SchemaConstraintsTest), the maintained homes too
CREATE INDEX coverage_key_person_home_idx ON coverage_key_person USING gist (home);
