-- One number that moves with every write to what maps and figures are made of, by the API, an import or
-- psql alike: caches of tiles and coverage rows are keyed by it, so an edit shows on the next request
-- instead of after a time to live. A sequence: reading it is one lookup, and no row-level security applies.
CREATE SEQUENCE data_generation;

CREATE FUNCTION bump_data_generation() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN PERFORM nextval('data_generation'); RETURN NULL; END $$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['admin_area', 'grid', 'compound', 'building', 'unit', 'person', 'key_person',
                             'role_assignment', 'volunteer', 'facility', 'visit', 'micro_organisation', 'road_edge',
                             'coverage_setting']
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION bump_data_generation()', t || '_data_generation', t);
    END LOOP;
END
$$;
