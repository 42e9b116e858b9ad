-- A need carries its key person's place (community and grid), kept by trigger as the person's own, and its policies
-- read those columns as the person's policies read the person's: who sees (and changes) a need is unchanged.
--
-- Why: the need policies asked "do you see the person?" with an EXISTS subplan per row. For a caller who sees
-- everything it never runs (the InitPlan before it answers), but PostgreSQL costs it on every row it could filter, so
-- reading the needs once and hashing them looked dearer than an index probe per key person: a 10 M city's district,
-- counted afresh, read its 1.9 M open needs by 1.07 M probes in 7.8 s. The place rule is a cheap expression.

-- Filled as the table is written anew (a column's type "changed" with USING rewrites every row): an UPDATE would
-- leave every need's old version behind (197 → 400 MB at 10 M, read by every pass after it) and fire the needs'
-- triggers (version, history, coverage change) for what is no change of a need.
CREATE FUNCTION need_area_of(person_id bigint) RETURNS char(12)
    LANGUAGE sql VOLATILE AS $$ SELECT p.area_code FROM person p WHERE p.id = $1 $$;
CREATE FUNCTION need_grid_of(person_id bigint) RETURNS bigint
    LANGUAGE sql VOLATILE AS $$ SELECT p.grid_id FROM person p WHERE p.id = $1 $$;
ALTER TABLE need ADD COLUMN area_code char(12), ADD COLUMN grid_id bigint;
ALTER TABLE need ALTER COLUMN area_code TYPE char(12) USING need_area_of(key_person_id),
                 ALTER COLUMN grid_id TYPE bigint USING need_grid_of(key_person_id);
ALTER TABLE need ALTER COLUMN area_code SET NOT NULL;
DROP FUNCTION need_area_of(bigint), need_grid_of(bigint);

-- A new need takes its person's place, whatever the writer gave. SECURITY DEFINER: the place is read whoever writes;
-- the policies below then decide, as before, whether this caller may add it.
CREATE FUNCTION need_takes_place() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
BEGIN
    SELECT p.area_code, p.grid_id INTO NEW.area_code, NEW.grid_id FROM person p WHERE p.id = NEW.key_person_id;
    RETURN NEW;
END
$$;
CREATE TRIGGER need_place BEFORE INSERT OR UPDATE OF key_person_id ON need
    FOR EACH ROW EXECUTE FUNCTION need_takes_place();

-- A person who moves takes their needs along (every need: a done one is seen where the person is, as visits are).
-- SECURITY DEFINER: whoever may move the person moves the needs, even out of their own scope.
CREATE FUNCTION need_follows_person() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
BEGIN
    UPDATE need n SET area_code = nr.area_code, grid_id = nr.grid_id
      FROM new_rows nr JOIN old_rows o ON o.id = nr.id
     WHERE n.key_person_id = nr.id
       AND (o.area_code IS DISTINCT FROM nr.area_code OR o.grid_id IS DISTINCT FROM nr.grid_id);
    RETURN NULL;
END
$$;
CREATE TRIGGER need_person_moves AFTER UPDATE ON person REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION need_follows_person();

REVOKE EXECUTE ON FUNCTION need_takes_place(), need_follows_person() FROM PUBLIC;

-- The person's two policies (V44: in scope, and on the caller's active route today), on the need's own columns;
-- the EXISTS they replace also let a caller add and change the needs of a person on their route.
ALTER POLICY need_read ON need
    USING ((SELECT caregrid_sees_everything())
           OR caregrid_place_visible(area_code, grid_id) AND (NOT caregrid_own_only() OR caregrid_is_own_person(key_person_id)));
ALTER POLICY need_add ON need
    WITH CHECK ((SELECT caregrid_sees_everything())
           OR caregrid_place_visible(area_code, grid_id) AND (NOT caregrid_own_only() OR caregrid_is_own_person(key_person_id)));
ALTER POLICY need_change ON need
    USING ((SELECT caregrid_sees_everything())
           OR caregrid_place_visible(area_code, grid_id) AND (NOT caregrid_own_only() OR caregrid_is_own_person(key_person_id)));
CREATE POLICY need_read_on_active_route ON need FOR SELECT
    USING ((SELECT caregrid_own_only()) AND caregrid_place_visible(area_code, grid_id)
           AND key_person_id IN (SELECT caregrid_active_route_persons()));
CREATE POLICY need_add_on_active_route ON need FOR INSERT
    WITH CHECK ((SELECT caregrid_own_only()) AND caregrid_place_visible(area_code, grid_id)
           AND key_person_id IN (SELECT caregrid_active_route_persons()));
CREATE POLICY need_change_on_active_route ON need FOR UPDATE
    USING ((SELECT caregrid_own_only()) AND caregrid_place_visible(area_code, grid_id)
           AND key_person_id IN (SELECT caregrid_active_route_persons()));
