-- coverage_refresh_key_persons rewrites a key person's state whole, and took the grid tallies down for the old rows
-- and up again for the new ones: two writes to coverage_grid_tally on every visit, each telling the kept counts
-- (V38, V40) that the grid's volunteer, delivery-squad and reserve metrics changed, which a visit never does. Now
-- the first call only notes what the old rows counted (for this transaction), and the second writes the
-- difference, which for a visit is nothing. The two calls come in pairs in that one function.
CREATE OR REPLACE FUNCTION coverage_count_grid_tally(ids bigint[], sign integer) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
    before jsonb;
BEGIN
    IF sign < 0 THEN
        PERFORM set_config('caregrid.tally_before', coalesce((
            SELECT jsonb_agg(jsonb_build_array(x.grid_id, x.closed_on, x.key_persons, x.medicine_needs))
              FROM (SELECT c.grid_id, c.closed_on, count(*) AS key_persons,
                           count(*) FILTER (WHERE c.medicine_need) AS medicine_needs
                      FROM coverage_key_person c WHERE c.person_id = ANY (ids) AND c.grid_id IS NOT NULL
                     GROUP BY c.grid_id, c.closed_on) x), '[]')::text, true);
        RETURN;
    END IF;
    before := nullif(current_setting('caregrid.tally_before', true), '')::jsonb;
    IF before IS NULL THEN
        RAISE EXCEPTION 'coverage_count_grid_tally(ids, 1) called without the count of the rows before it';
    END IF;
    PERFORM set_config('caregrid.tally_before', '', true);

    WITH old AS (
        SELECT (e ->> 0)::bigint AS grid_id, (e ->> 1)::date AS closed_on, (e ->> 2)::int AS key_persons,
               (e ->> 3)::int AS medicine_needs
          FROM jsonb_array_elements(before) e),
    new AS (
        SELECT c.grid_id, c.closed_on, count(*)::int AS key_persons,
               (count(*) FILTER (WHERE c.medicine_need))::int AS medicine_needs
          FROM coverage_key_person c WHERE c.person_id = ANY (ids) AND c.grid_id IS NOT NULL
         GROUP BY c.grid_id, c.closed_on),
    difference AS (
        SELECT coalesce(n.grid_id, o.grid_id) AS grid_id, coalesce(n.closed_on, o.closed_on) AS closed_on,
               coalesce(n.key_persons, 0) - coalesce(o.key_persons, 0) AS key_persons,
               coalesce(n.medicine_needs, 0) - coalesce(o.medicine_needs, 0) AS medicine_needs
          FROM new n
          FULL JOIN old o ON o.grid_id = n.grid_id
                         AND coalesce(o.closed_on, DATE 'infinity') = coalesce(n.closed_on, DATE 'infinity')),
    open_tally AS (
        INSERT INTO coverage_grid_tally AS t (grid_id, key_persons, medicine_needs)
        SELECT d.grid_id, d.key_persons, d.medicine_needs FROM difference d
         WHERE d.closed_on IS NULL AND (d.key_persons <> 0 OR d.medicine_needs <> 0)
         ORDER BY d.grid_id
        ON CONFLICT (grid_id) DO UPDATE SET key_persons = t.key_persons + EXCLUDED.key_persons,
                                            medicine_needs = t.medicine_needs + EXCLUDED.medicine_needs)
    INSERT INTO coverage_grid_closed AS t (grid_id, closed_on, key_persons, medicine_needs)
    SELECT d.grid_id, d.closed_on, d.key_persons, d.medicine_needs FROM difference d
     WHERE d.closed_on IS NOT NULL AND (d.key_persons <> 0 OR d.medicine_needs <> 0)
     ORDER BY d.grid_id, d.closed_on
    ON CONFLICT (grid_id, closed_on) DO UPDATE SET key_persons = t.key_persons + EXCLUDED.key_persons,
                                                   medicine_needs = t.medicine_needs + EXCLUDED.medicine_needs;
END
$$;

REVOKE EXECUTE ON FUNCTION coverage_count_grid_tally(bigint[], integer) FROM PUBLIC;
