-- Row-level policies that PostgreSQL may run in parallel workers. A query is planned in parallel only when every
-- function in it, policies included, is marked PARALLEL SAFE, and a sub-select in a row's test is run by the leader
-- alone. caregrid_is_own_person (the person, key person, need and coverage state policies) was left at the default,
-- PARALLEL UNSAFE, and the active-route rule was a sub-select: so every read of those tables, a city's summary passes
-- among them, ran in one process. Both functions only read (their GUCs are copied into each worker; a function's
-- own SET search_path is allowed there), so they are safe; the route's persons are now read once per statement as an
-- array (an InitPlan, whose value the workers are given) instead of a hashed sub-select. Who sees what is unchanged.
ALTER FUNCTION caregrid_is_own_person(bigint) PARALLEL SAFE;

-- The households on the caller's active route today (V25's caregrid_active_route_persons), as one array.
CREATE FUNCTION caregrid_active_route_person_ids() RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT coalesce(array_agg(s.person_id), '{}')
     FROM route_stop s JOIN route r ON r.id = s.route_id JOIN route_plan p ON p.id = r.plan_id
    WHERE r.assignee_person_id = caregrid_caller_person()
      AND p.status = 'published' AND p.service_date = current_setting('caregrid.today', true)::date
      AND r.finished_at IS NULL AND s.withdrawn_at IS NULL AND s.kind = 'delivery' AND s.person_id IS NOT NULL $$;

ALTER POLICY person_on_active_route ON person
    USING ((SELECT caregrid_own_only()) AND caregrid_place_visible(area_code, grid_id)
           AND id = ANY (CAST((SELECT caregrid_active_route_person_ids()) AS bigint[])));
ALTER POLICY need_read_on_active_route ON need
    USING ((SELECT caregrid_own_only()) AND caregrid_place_visible(area_code, grid_id)
           AND key_person_id = ANY (CAST((SELECT caregrid_active_route_person_ids()) AS bigint[])));
ALTER POLICY need_add_on_active_route ON need
    WITH CHECK ((SELECT caregrid_own_only()) AND caregrid_place_visible(area_code, grid_id)
           AND key_person_id = ANY (CAST((SELECT caregrid_active_route_person_ids()) AS bigint[])));
ALTER POLICY need_change_on_active_route ON need
    USING ((SELECT caregrid_own_only()) AND caregrid_place_visible(area_code, grid_id)
           AND key_person_id = ANY (CAST((SELECT caregrid_active_route_person_ids()) AS bigint[])));

DROP FUNCTION caregrid_active_route_persons();
