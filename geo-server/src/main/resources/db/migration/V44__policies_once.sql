-- V41 for the source tables: their policies called the caller's scope functions once per row, and a caller who
-- sees everything paid it on every person of a city (the nearest-facility refresh's read of the key persons'
-- homes: 670 ms of policy on 1 M persons, beside a 170 ms scan). The test that holds for all rows is now asked once
-- per statement (an InitPlan, before OR's other terms); callers with a narrower scope are tested row by row by the
-- same rule as before. Each policy is the V6 / V25 one with that first term; where it already began with
-- caregrid_sees_everything() the term is only wrapped.
ALTER POLICY compound_in_scope ON compound
    USING ((SELECT caregrid_sees_everything()) OR caregrid_place_visible(area_code, grid_id));
ALTER POLICY building_in_scope ON building
    USING ((SELECT caregrid_sees_everything()) OR caregrid_place_visible(area_code, grid_id));
ALTER POLICY unit_in_scope ON unit
    USING ((SELECT caregrid_sees_everything()) OR EXISTS (SELECT 1 FROM building b WHERE b.id = unit.building_id));
ALTER POLICY person_in_scope ON person
    USING ((SELECT caregrid_sees_everything())
           OR caregrid_place_visible(area_code, grid_id) AND (NOT caregrid_own_only() OR caregrid_is_own_person(id)));
-- only callers restricted to their own persons may see one more for being on their route
ALTER POLICY person_on_active_route ON person
    USING ((SELECT caregrid_own_only()) AND caregrid_place_visible(area_code, grid_id)
           AND id IN (SELECT caregrid_active_route_persons()));
ALTER POLICY key_person_in_scope ON key_person
    USING ((SELECT caregrid_sees_everything()) OR EXISTS (SELECT 1 FROM person p WHERE p.id = key_person.person_id));
ALTER POLICY volunteer_in_scope ON volunteer
    USING ((SELECT caregrid_sees_everything()) OR EXISTS (SELECT 1 FROM person p WHERE p.id = volunteer.person_id));
ALTER POLICY visit_in_scope ON visit
    USING ((SELECT caregrid_sees_everything()) OR EXISTS (SELECT 1 FROM person p WHERE p.id = visit.key_person_id));
ALTER POLICY nearest_facility_in_scope ON nearest_facility
    USING ((SELECT caregrid_sees_everything()) OR EXISTS (SELECT 1 FROM person p WHERE p.id = nearest_facility.person_id));
ALTER POLICY responsible_walk_in_scope ON responsible_walk
    USING ((SELECT caregrid_sees_everything())
           OR EXISTS (SELECT 1 FROM person p WHERE p.id = responsible_walk.key_person_id));
ALTER POLICY role_assignment_in_scope ON role_assignment
    USING ((SELECT caregrid_sees_everything())
           OR EXISTS (SELECT 1 FROM person p WHERE p.id = role_assignment.person_id)
           OR EXISTS (SELECT 1 FROM building b WHERE b.id = role_assignment.scope_building_id)
           OR EXISTS (SELECT 1 FROM unit u WHERE u.id = role_assignment.scope_unit_id)
           OR EXISTS (SELECT 1 FROM compound c WHERE c.id = role_assignment.scope_compound_id)
           OR EXISTS (SELECT 1 FROM person p WHERE p.id = role_assignment.scope_person_id)
           OR (scope_grid_id IS NOT NULL AND caregrid_grid_visible(scope_grid_id))
           OR (scope_area_code IS NOT NULL AND caregrid_area_code_visible(scope_area_code)));
ALTER POLICY service_record_in_scope ON service_record
    USING ((SELECT caregrid_sees_everything())
           OR EXISTS (SELECT 1 FROM person p WHERE p.id = service_record.volunteer_person_id));
ALTER POLICY need_read ON need
    USING ((SELECT caregrid_sees_everything()) OR EXISTS (SELECT 1 FROM person p WHERE p.id = need.key_person_id));
