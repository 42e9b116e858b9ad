-- The coverage state's policies called the caller's scope functions (current_user, current_setting) once per row:
-- on the 106 731 key persons of the benchmark district that was 170 ms of a 200 ms drill-down page, for callers
-- who see everything anyway. An uncorrelated scalar subquery is evaluated once per statement (an InitPlan), and OR
-- stops at its first true: such callers now pay once; the others are tested row by row as before, by the same rule.
ALTER POLICY coverage_building_in_scope ON coverage_building
    USING ((SELECT caregrid_sees_everything()) OR caregrid_place_visible(area_code, grid_id));
ALTER POLICY coverage_unit_in_scope ON coverage_unit
    USING ((SELECT caregrid_sees_everything()) OR caregrid_place_visible(area_code, grid_id));
ALTER POLICY coverage_key_person_in_scope ON coverage_key_person
    USING ((SELECT caregrid_sees_everything())
           OR caregrid_place_visible(area_code, grid_id) AND (NOT caregrid_own_only() OR caregrid_is_own_person(person_id)));
ALTER POLICY coverage_responsible_in_scope ON coverage_responsible
    USING ((SELECT caregrid_sees_everything())
           OR caregrid_place_visible(area_code, grid_id) AND (NOT caregrid_own_only() OR caregrid_is_own_person(person_id)));
ALTER POLICY coverage_grid_member_in_scope ON coverage_grid_member
    USING ((SELECT caregrid_sees_everything()) OR caregrid_grid_visible(grid_id));
