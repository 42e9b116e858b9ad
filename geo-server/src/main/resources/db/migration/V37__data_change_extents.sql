-- Where each write landed on the map, so that a cached tile is made again only when something inside it
-- changed: an edit in one grid no longer throws away the tiles of every other grid (V23 moved one number
-- for all). Each statement that writes to what tiles are made of records the data generation it moved
-- to and the extent of the rows it touched, before and after; NULL means "anywhere" (a row without a
-- place, or a setting). Layers whose features sum up a whole area (grids' counts, coverage) still follow
-- the one generation. Rows older than the tile cache's time to live are pruned by the server.
CREATE TABLE data_change (
    generation bigint PRIMARY KEY,
    extent     geometry(Geometry, 4326),
    made_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX data_change_extent_idx ON data_change USING gist (extent);

-- The place of a row of each table, as a FROM clause over the transition table %1$I (alias r) and the
-- geometry g: the building's footprint (else its door) for what lives in or is about a building.
CREATE FUNCTION data_change_rows(tab text, rows text) RETURNS text
    LANGUAGE sql IMMUTABLE AS
$$ SELECT format(CASE tab
    WHEN 'admin_area' THEN 'SELECT r.geom AS g FROM %1$I r'
    WHEN 'grid' THEN 'SELECT r.geom AS g FROM %1$I r'
    WHEN 'compound' THEN 'SELECT r.geom AS g FROM %1$I r'
    WHEN 'road_edge' THEN 'SELECT r.geom AS g FROM %1$I r'
    WHEN 'building' THEN 'SELECT coalesce(r.footprint, r.entrance) AS g FROM %1$I r'
    WHEN 'unit' THEN 'SELECT coalesce(b.footprint, b.entrance, r.entrance) AS g FROM %1$I r LEFT JOIN building b ON b.id = r.building_id'
    WHEN 'person' THEN 'SELECT coalesce(b.footprint, b.entrance, r.location) AS g FROM %1$I r LEFT JOIN building b ON b.id = r.building_id'
    WHEN 'key_person' THEN 'SELECT coalesce(b.footprint, b.entrance, p.location) AS g FROM %1$I r '
                           'LEFT JOIN person p ON p.id = r.person_id LEFT JOIN building b ON b.id = p.building_id'
    WHEN 'visit' THEN 'SELECT coalesce(b.footprint, b.entrance, p.location) AS g FROM %1$I r '
                      'LEFT JOIN person p ON p.id = r.key_person_id LEFT JOIN building b ON b.id = p.building_id'
    WHEN 'volunteer' THEN 'SELECT r.home AS g FROM %1$I r'
    WHEN 'facility' THEN 'SELECT r.location AS g FROM %1$I r'
    WHEN 'micro_organisation' THEN 'SELECT coalesce(c.geom, a.geom) AS g FROM %1$I r '
                                   'LEFT JOIN compound c ON c.id = r.compound_id LEFT JOIN admin_area a ON a.code = r.area_code'
    WHEN 'role_assignment' THEN 'SELECT coalesce(b.footprint, b.entrance, ub.footprint, ub.entrance, kb.footprint, kb.entrance, '
                                'g.geom, c.geom, a.geom) AS g FROM %1$I r '
                                'LEFT JOIN building b ON b.id = r.scope_building_id '
                                'LEFT JOIN unit u ON u.id = r.scope_unit_id LEFT JOIN building ub ON ub.id = u.building_id '
                                'LEFT JOIN person kp ON kp.id = r.scope_person_id LEFT JOIN building kb ON kb.id = kp.building_id '
                                'LEFT JOIN grid g ON g.id = r.scope_grid_id LEFT JOIN compound c ON c.id = r.scope_compound_id '
                                'LEFT JOIN admin_area a ON a.code = r.scope_area_code'
    ELSE 'SELECT NULL::geometry AS g FROM %1$I r' END, rows) $$;

-- SECURITY DEFINER: the place of a row must be found whatever rows the writing role may see.
CREATE FUNCTION record_data_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
    touched bigint := 0;
    placed bigint := 0;
    box box2d;
    n bigint;
    p bigint;
    b box2d;
    rows text;
BEGIN
    FOREACH rows IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY['new_rows'] WHEN 'DELETE' THEN ARRAY['old_rows']
                                     ELSE ARRAY['old_rows', 'new_rows'] END
    LOOP
        EXECUTE format('SELECT count(*), count(g), ST_Extent(g) FROM (%s) x', data_change_rows(TG_TABLE_NAME, rows))
            INTO n, p, b;
        touched := touched + n;
        placed := placed + p;
        box := CASE WHEN box IS NULL THEN b WHEN b IS NULL THEN box ELSE ST_CombineBBox(box, b) END;
    END LOOP;
    IF touched > 0 THEN
        INSERT INTO data_change (generation, extent)
        VALUES (nextval('data_generation'), CASE WHEN placed = touched THEN ST_SetSRID(box::geometry, 4326) END);
    END IF;
    RETURN NULL;
END
$$;

REVOKE EXECUTE ON FUNCTION record_data_change() FROM PUBLIC;

-- The V23 triggers give way to these (a trigger with transition tables takes one event only).
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['admin_area', 'grid', 'compound', 'building', 'unit', 'person', 'key_person',
                             'role_assignment', 'volunteer', 'facility', 'visit', 'micro_organisation', 'road_edge',
                             'coverage_setting']
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_data_generation', t);
        EXECUTE format('CREATE TRIGGER %1$I AFTER INSERT ON %2$I REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION record_data_change()', t || '_data_change_insert', t);
        EXECUTE format('CREATE TRIGGER %1$I AFTER UPDATE ON %2$I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION record_data_change()', t || '_data_change_update', t);
        EXECUTE format('CREATE TRIGGER %1$I AFTER DELETE ON %2$I REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION record_data_change()', t || '_data_change_delete', t);
    END LOOP;
END
$$;
