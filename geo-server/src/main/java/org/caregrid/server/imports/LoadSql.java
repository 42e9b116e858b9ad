package org.caregrid.server.imports;

import java.util.List;

/**
 * The SQL of a load, named after what each statement computes. Staging tables hold text as it came (COPY is fastest
 * that way); the merges cast, resolve external ids to keys and upsert by (source, external_id), touching a row only
 * when something differs, so a second import of the same source changes nothing.
 */
final class LoadSql {

    private LoadSql() {
    }

    static final String STAGING_TABLES = """
            CREATE TEMP TABLE stage_area (code text, level text, name text, parent_code text, geom text) ON COMMIT DROP;
            CREATE TEMP TABLE stage_grid (code text, name text, community_code text, geom text) ON COMMIT DROP;
            CREATE TEMP TABLE stage_compound (source text, external_id text, name text, has_pm boolean, geom text) ON COMMIT DROP;
            CREATE TEMP TABLE stage_building (source text, external_id text, name text, address text, compound_ext text,
                floors int, households int, estimated boolean, footprint text, entrance text) ON COMMIT DROP;
            CREATE TEMP TABLE stage_unit (source text, building_ext text, number text, households int, entrance text) ON COMMIT DROP;
            CREATE TEMP TABLE stage_person (source text, external_id text, name text, gender text, birth_date date,
                phone text, id_hash text, id_last4 text, building_ref text, unit text, room text, location text,
                synthetic boolean) ON COMMIT DROP;
            CREATE TEMP TABLE stage_key_person (source text, person_ext text, categories text, risk text, needs text,
                responsible_ext text) ON COMMIT DROP;
            CREATE TEMP TABLE stage_volunteer (source text, external_id text, person_ext text, name text, phone text,
                skills text, teams text, travel_mode text, capacity int, availability text, home text, reserve boolean) ON COMMIT DROP;
            CREATE TEMP TABLE stage_head (source text, role text, building_ext text, unit_number text, person_ext text) ON COMMIT DROP;
            CREATE TEMP TABLE stage_facility (source text, external_id text, kind text, name text, opening_hours text,
                location text, specialities text, emergency boolean) ON COMMIT DROP;
            CREATE TEMP TABLE stage_micro (source text, external_id text, name text, kind text, community_code text,
                compound_ext text) ON COMMIT DROP;
            CREATE TEMP TABLE stage_visit (source text, external_id text, person_ext text, visitor_ext text, visited_on date,
                method text, findings text) ON COMMIT DROP;
            CREATE TEMP TABLE stage_request (source text, external_id text, person_ext text, requested_at timestamp,
                items text) ON COMMIT DROP;
            """;

    /**
     * Synthetic people may draw the same random ID number: the later ones keep no ID number rather than fail the
     * load (a real duplicate is an error, see {@link #DUPLICATE_ID_NUMBERS}).
     */
    static final String DROP_SYNTHETIC_DUPLICATE_ID_NUMBERS = """
            UPDATE stage_person s SET id_hash = NULL, id_last4 = NULL
              FROM (SELECT ctid, row_number() OVER (PARTITION BY id_hash ORDER BY external_id) AS n
                      FROM stage_person WHERE id_hash IS NOT NULL) d
             WHERE s.ctid = d.ctid AND s.synthetic
               AND (d.n > 1 OR EXISTS (SELECT 1 FROM person p WHERE p.id_number_hash = decode(s.id_hash, 'hex')
                                          AND (p.source, p.external_id) IS DISTINCT FROM (s.source, s.external_id)))
            """;

    /** Two records with one ID number, in the file or against the database: the first ten, by external id. */
    static final String DUPLICATE_ID_NUMBERS = """
            SELECT a.external_id, b.external_id, a.id_last4 FROM stage_person a
              JOIN stage_person b ON b.id_hash = a.id_hash AND b.external_id > a.external_id
             WHERE a.id_hash IS NOT NULL
            UNION ALL
            SELECT s.external_id, p.source || ' ' || p.external_id, s.id_last4 FROM stage_person s
              JOIN person p ON p.id_number_hash = decode(s.id_hash, 'hex')
             WHERE (p.source, p.external_id) IS DISTINCT FROM (s.source, s.external_id)
             ORDER BY 1, 2 LIMIT 10
            """;

    /*
     * Geometries are staged as hex WKB: writing it takes a fraction of what WKT's decimal digits take, and it keeps
     * every bit of each coordinate.
     *
     * Polygons are stored normalised (ST_Normalize: ring start and orientation fixed), so that a source that writes
     * the same outline from another vertex next time does not count as a change.
     *
     * "OFFSET 0" keeps a subquery from being flattened, so that the external-id look-ups run once per staged row
     * and never inside a join's inner loop.
     */

    /** A named merge; its update count is what changed in {@code table}. */
    record Merge(String table, String sql) {

        private static final java.util.regex.Pattern STAGING = java.util.regex.Pattern.compile("\\bstage_[a-z_]+");

        /** The staging tables it reads; none for a spatial join, which works on the schema's tables. */
        java.util.Set<String> stagingTables() {
            return STAGING.matcher(sql).results().map(java.util.regex.MatchResult::group)
                    .collect(java.util.stream.Collectors.toSet());
        }
    }

    static final List<Merge> MERGES = List.of(
            new Merge("admin_area", """
                    INSERT INTO admin_area (code, level, name, parent_code, geom)
                    SELECT code, level, name, parent_code, ST_Normalize(ST_Multi(ST_GeomFromWKB(decode(geom, 'hex'), 4326))) FROM stage_area
                    ON CONFLICT (code) DO UPDATE SET level = EXCLUDED.level, name = EXCLUDED.name,
                        parent_code = EXCLUDED.parent_code, geom = EXCLUDED.geom
                    WHERE (admin_area.level, admin_area.name, admin_area.parent_code, admin_area.geom)
                          IS DISTINCT FROM (EXCLUDED.level, EXCLUDED.name, EXCLUDED.parent_code, EXCLUDED.geom)
                    """),
            new Merge("grid", """
                    INSERT INTO grid (code, name, community_code, geom)
                    SELECT code, coalesce(nullif(btrim(name), ''), code), community_code,
                           ST_Normalize(ST_Multi(ST_GeomFromWKB(decode(geom, 'hex'), 4326))) FROM stage_grid
                    ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, community_code = EXCLUDED.community_code,
                        geom = EXCLUDED.geom
                    WHERE (grid.name, grid.community_code, grid.geom)
                          IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.community_code, EXCLUDED.geom)
                    """),
            new Merge("compound", """
                    INSERT INTO compound (source, external_id, name, has_property_management, geom)
                    SELECT source, external_id, coalesce(nullif(btrim(name), ''), '小区 ' || external_id),
                           coalesce(has_pm, false), ST_Normalize(ST_Multi(ST_GeomFromWKB(decode(geom, 'hex'), 4326))) FROM stage_compound
                    ON CONFLICT (source, external_id) DO UPDATE SET name = EXCLUDED.name,
                        has_property_management = EXCLUDED.has_property_management, geom = EXCLUDED.geom
                    WHERE (compound.name, compound.has_property_management, compound.geom)
                          IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.has_property_management, EXCLUDED.geom)
                    """),
            // compound (the file's, else the one it had, else the one holding its entrance), community and grid are
            // what the spatial join below would give: a new building is written once, not inserted and then updated;
            // the entrance is worked out once per row (MATERIALIZED), not once per look-up
            new Merge("building", """
                    WITH s AS MATERIALIZED (
                        SELECT source, external_id, name, address, compound_ext, floors, households, estimated,
                               ST_Normalize(ST_Multi(ST_GeomFromWKB(decode(footprint, 'hex'), 4326))) AS footprint,
                               coalesce(ST_GeomFromWKB(decode(entrance, 'hex'), 4326),
                                        ST_PointOnSurface(ST_GeomFromWKB(decode(footprint, 'hex'), 4326))) AS entrance
                          FROM stage_building)
                    INSERT INTO building (source, external_id, name, address, compound_id, floors, households,
                                          households_estimated, footprint, entrance, area_code, grid_id)
                    SELECT s.source, s.external_id, s.name, s.address,
                           coalesce(c.id, e.compound_id, (SELECT k.id FROM compound k WHERE ST_Contains(k.geom, s.entrance)
                                                           ORDER BY k.id LIMIT 1)),
                           s.floors, coalesce(s.households, 0), s.estimated, s.footprint, s.entrance,
                           (SELECT a.code FROM admin_area a WHERE a.level = 'community'
                               AND ST_Contains(a.geom, s.entrance) ORDER BY a.code LIMIT 1),
                           (SELECT g.id FROM grid g WHERE ST_Contains(g.geom, s.entrance) ORDER BY g.id LIMIT 1)
                      FROM s
                      LEFT JOIN compound c ON c.source = s.source AND c.external_id = s.compound_ext
                      LEFT JOIN building e ON e.source = s.source AND e.external_id = s.external_id
                    ON CONFLICT (source, external_id) DO UPDATE SET name = EXCLUDED.name, address = EXCLUDED.address,
                        compound_id = coalesce(EXCLUDED.compound_id, building.compound_id), floors = EXCLUDED.floors,
                        households = EXCLUDED.households, households_estimated = EXCLUDED.households_estimated,
                        footprint = EXCLUDED.footprint, entrance = EXCLUDED.entrance
                    WHERE (building.name, building.address, building.floors, building.households,
                           building.households_estimated, building.footprint, building.entrance)
                          IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.address, EXCLUDED.floors, EXCLUDED.households,
                           EXCLUDED.households_estimated, EXCLUDED.footprint, EXCLUDED.entrance)
                       OR (EXCLUDED.compound_id IS NOT NULL AND building.compound_id IS DISTINCT FROM EXCLUDED.compound_id)
                    """),
            new Merge("unit", """
                    INSERT INTO unit (building_id, number, households, entrance)
                    SELECT s.building_id, s.number, coalesce(s.households, 0), ST_GeomFromWKB(decode(s.entrance, 'hex'), 4326)
                      FROM (SELECT *, building_by_external_id(source, building_ext) AS building_id FROM stage_unit OFFSET 0) s
                     WHERE s.building_id IS NOT NULL
                    ON CONFLICT (building_id, number) DO UPDATE SET households = EXCLUDED.households,
                        entrance = EXCLUDED.entrance
                    WHERE (unit.households, unit.entrance) IS DISTINCT FROM (EXCLUDED.households, EXCLUDED.entrance)
                    """),
            // a volunteer who is no resident of the area still needs a person record
            new Merge("person", """
                    INSERT INTO person (source, external_id, name, phone, location, is_synthetic)
                    SELECT source, external_id, name, phone, ST_GeomFromWKB(decode(home, 'hex'), 4326), false
                      FROM stage_volunteer WHERE person_ext IS NULL
                    ON CONFLICT (source, external_id) DO UPDATE SET name = EXCLUDED.name, phone = EXCLUDED.phone,
                        location = EXCLUDED.location
                    WHERE (person.name, person.phone, person.location)
                          IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.phone, EXCLUDED.location)
                    """),
            // the address names a building by external id (this source first), else by a name only one building has;
            // grid and community come from the building at once, so the spatial join after has nothing to rewrite
            new Merge("person", """
                    INSERT INTO person (source, external_id, name, gender, birth_date, phone, id_number_hash,
                                        id_number_last4, building_id, unit_id, room, location, is_synthetic,
                                        area_code, grid_id)
                    SELECT s.source, s.external_id, s.name, s.gender, s.birth_date, s.phone, decode(s.id_hash, 'hex'),
                           s.id_last4, b.id, u.id, s.room,
                           coalesce(ST_GeomFromWKB(decode(s.location, 'hex'), 4326), u.entrance, b.entrance), s.synthetic,
                           b.area_code, b.grid_id
                      FROM stage_person s
                      LEFT JOIN LATERAL (
                          SELECT id, entrance, area_code, grid_id FROM (
                              SELECT b.id, b.entrance, b.area_code, b.grid_id, 1 AS rank FROM building b
                               WHERE b.external_id = s.building_ref AND b.source = s.source
                              UNION ALL
                              SELECT b.id, b.entrance, b.area_code, b.grid_id, 2 FROM building b
                               WHERE b.external_id = s.building_ref AND b.source <> s.source
                              UNION ALL
                              SELECT min(b.id), (array_agg(b.entrance))[1], (array_agg(b.area_code))[1],
                                     (array_agg(b.grid_id))[1], 3 FROM building b
                               WHERE b.name = s.building_ref HAVING count(*) = 1) candidates
                           ORDER BY rank LIMIT 1) b ON s.building_ref IS NOT NULL
                      LEFT JOIN unit u ON u.building_id = b.id AND u.number = s.unit
                    ON CONFLICT (source, external_id) DO UPDATE SET name = EXCLUDED.name, gender = EXCLUDED.gender,
                        birth_date = EXCLUDED.birth_date, phone = EXCLUDED.phone, id_number_hash = EXCLUDED.id_number_hash,
                        id_number_last4 = EXCLUDED.id_number_last4, building_id = EXCLUDED.building_id,
                        unit_id = EXCLUDED.unit_id, room = EXCLUDED.room, location = EXCLUDED.location,
                        is_synthetic = EXCLUDED.is_synthetic,
                        -- without a building the spatial join below places the person: keep what it found
                        area_code = coalesce(EXCLUDED.area_code, person.area_code),
                        grid_id = coalesce(EXCLUDED.grid_id, person.grid_id)
                    WHERE (person.name, person.gender, person.birth_date, person.phone, person.id_number_hash,
                           person.id_number_last4, person.building_id, person.unit_id, person.room, person.location,
                           person.is_synthetic)
                          IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.gender, EXCLUDED.birth_date, EXCLUDED.phone,
                           EXCLUDED.id_number_hash, EXCLUDED.id_number_last4, EXCLUDED.building_id, EXCLUDED.unit_id,
                           EXCLUDED.room, EXCLUDED.location, EXCLUDED.is_synthetic)
                    """),
            new Merge("key_person", """
                    INSERT INTO key_person (person_id, categories, risk_level, needs)
                    SELECT s.person_id, s.categories::text[], s.risk, s.needs::text[]
                      FROM (SELECT *, person_by_external_id(source, person_ext) AS person_id FROM stage_key_person OFFSET 0) s
                     WHERE s.person_id IS NOT NULL
                    ON CONFLICT (person_id) DO UPDATE SET categories = EXCLUDED.categories,
                        risk_level = EXCLUDED.risk_level, needs = EXCLUDED.needs
                    WHERE (key_person.categories, key_person.risk_level, key_person.needs)
                          IS DISTINCT FROM (EXCLUDED.categories, EXCLUDED.risk_level, EXCLUDED.needs)
                    """),
            new Merge("volunteer", """
                    INSERT INTO volunteer (person_id, skills, teams, travel_mode, capacity, availability, home, is_reserve)
                    SELECT p.id, s.skills::text[], s.teams::text[], s.travel_mode, s.capacity, s.availability,
                           coalesce(ST_GeomFromWKB(decode(s.home, 'hex'), 4326), p.location), s.reserve
                      FROM (SELECT *, CASE WHEN person_ext IS NULL THEN person_by_external_id(source, external_id)
                                           ELSE person_by_external_id(source, person_ext) END AS person_id
                              FROM stage_volunteer OFFSET 0) s
                      JOIN person p ON p.id = s.person_id
                    ON CONFLICT (person_id) DO UPDATE SET skills = EXCLUDED.skills, teams = EXCLUDED.teams,
                        travel_mode = EXCLUDED.travel_mode, capacity = EXCLUDED.capacity,
                        availability = EXCLUDED.availability, home = EXCLUDED.home, is_reserve = EXCLUDED.is_reserve
                    WHERE (volunteer.skills, volunteer.teams, volunteer.travel_mode, volunteer.capacity,
                           volunteer.availability, volunteer.home, volunteer.is_reserve)
                          IS DISTINCT FROM (EXCLUDED.skills, EXCLUDED.teams, EXCLUDED.travel_mode, EXCLUDED.capacity,
                           EXCLUDED.availability, EXCLUDED.home, EXCLUDED.is_reserve)
                    """),
            // role assignments have no external id: an open assignment of the same person, role and scope is the same
            new Merge("role_assignment", """
                    INSERT INTO role_assignment (person_id, role, scope_type, scope_building_id, scope_unit_id)
                    SELECT DISTINCT ON (s.role, b.id, u.id) p.id, s.role,
                           CASE WHEN s.role = 'building_head' THEN 'building' ELSE 'unit' END,
                           CASE WHEN s.role = 'building_head' THEN b.id END,
                           CASE WHEN s.role = 'unit_head' THEN u.id END
                      FROM (SELECT *, person_by_external_id(source, person_ext) AS person_id,
                                   building_by_external_id(source, building_ext) AS building_id FROM stage_head OFFSET 0) s
                      JOIN person p ON p.id = s.person_id
                      JOIN building b ON b.id = s.building_id
                      LEFT JOIN unit u ON u.building_id = b.id AND u.number = s.unit_number
                     WHERE (s.role = 'building_head' OR u.id IS NOT NULL)
                       -- one head in office per building or unit (a constraint, V7): a place that has one keeps it
                       AND NOT EXISTS (SELECT 1 FROM role_assignment r
                                        WHERE r.role = s.role AND (r.valid_to IS NULL OR r.valid_to >= caregrid_today())
                                          AND r.scope_building_id IS NOT DISTINCT FROM CASE WHEN s.role = 'building_head' THEN b.id END
                                          AND r.scope_unit_id IS NOT DISTINCT FROM CASE WHEN s.role = 'unit_head' THEN u.id END)
                     ORDER BY s.role, b.id, u.id, p.id
                    """),
            new Merge("role_assignment", """
                    INSERT INTO role_assignment (person_id, role, scope_type, scope_person_id)
                    SELECT DISTINCT r.id, 'responsible', 'person', k.id
                      FROM (SELECT person_by_external_id(source, person_ext) AS key_id,
                                   person_by_external_id(source, responsible_ext) AS responsible_id
                              FROM stage_key_person WHERE responsible_ext IS NOT NULL OFFSET 0) s
                      JOIN person k ON k.id = s.key_id
                      JOIN person r ON r.id = s.responsible_id
                     WHERE NOT EXISTS (SELECT 1 FROM role_assignment a
                                        WHERE a.person_id = r.id AND a.role = 'responsible' AND a.valid_to IS NULL
                                          AND a.scope_person_id = k.id)
                    """),
            new Merge("facility", """
                    INSERT INTO facility (source, external_id, kind, name, opening_hours, location, specialities, emergency)
                    SELECT source, external_id, kind, name, opening_hours, ST_GeomFromWKB(decode(location, 'hex'), 4326),
                           specialities::text[], emergency FROM stage_facility
                    ON CONFLICT (source, external_id) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name,
                        opening_hours = EXCLUDED.opening_hours, location = EXCLUDED.location,
                        specialities = EXCLUDED.specialities, emergency = EXCLUDED.emergency
                    WHERE (facility.kind, facility.name, facility.opening_hours, facility.location, facility.specialities,
                           facility.emergency)
                          IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.name, EXCLUDED.opening_hours, EXCLUDED.location,
                                            EXCLUDED.specialities, EXCLUDED.emergency)
                    """),
            new Merge("micro_organisation", """
                    INSERT INTO micro_organisation (source, external_id, name, kind, area_code, compound_id)
                    SELECT s.source, s.external_id, s.name, s.kind, s.community_code, c.id
                      FROM stage_micro s LEFT JOIN compound c ON c.source = s.source AND c.external_id = s.compound_ext
                    ON CONFLICT (source, external_id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,
                        area_code = EXCLUDED.area_code, compound_id = EXCLUDED.compound_id
                    WHERE (micro_organisation.name, micro_organisation.kind, micro_organisation.area_code,
                           micro_organisation.compound_id)
                          IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.kind, EXCLUDED.area_code, EXCLUDED.compound_id)
                    """),
            // visits and requests are history: once stored they are the ledger's, a re-import leaves them alone
            new Merge("visit", """
                    INSERT INTO visit (source, external_id, key_person_id, visitor_person_id, visited_at, method,
                                       findings, recorded_by)
                    SELECT s.source, s.external_id, k.person_id, v.id,
                           (s.visited_on + time '10:00') AT TIME ZONE 'Asia/Shanghai', s.method, s.findings,
                           'import:' || s.source
                      FROM (SELECT *, person_by_external_id(source, person_ext) AS key_id,
                                   person_by_external_id(source, visitor_ext) AS visitor_id FROM stage_visit OFFSET 0) s
                      JOIN key_person k ON k.person_id = s.key_id
                      LEFT JOIN person v ON v.id = s.visitor_id
                    -- nor a second row for a visit stored already under another id: a file has days only (10:00),
                    -- so two lines of one day, method and visitor are one visit (the unique index of V35)
                    ON CONFLICT DO NOTHING
                    """),
            new Merge("delivery_request", """
                    INSERT INTO delivery_request (source, external_id, key_person_id, items, created_at, created_by)
                    SELECT s.source, s.external_id, k.person_id, s.items, s.requested_at AT TIME ZONE 'Asia/Shanghai',
                           'import:' || s.source
                      FROM (SELECT *, person_by_external_id(source, person_ext) AS key_id FROM stage_request OFFSET 0) s
                      JOIN key_person k ON k.person_id = s.key_id
                    ON CONFLICT (source, external_id) DO NOTHING
                    """));

    /**
     * Places get their community (area_code) and grid from the polygon that holds them: a building by its entrance,
     * a compound and a facility by a point on them. Runs over all rows, so grids imported after buildings still
     * reach them; only rows whose answer differs are written.
     */
    static final List<Merge> SPATIAL_JOINS = List.of(
            new Merge("compound", """
                    UPDATE compound c SET area_code = j.area_code, grid_id = j.grid_id
                      FROM (SELECT c.id,
                                   (SELECT a.code FROM admin_area a WHERE a.level = 'community'
                                       AND ST_Contains(a.geom, ST_PointOnSurface(c.geom)) ORDER BY a.code LIMIT 1) AS area_code,
                                   (SELECT g.id FROM grid g WHERE ST_Contains(g.geom, ST_PointOnSurface(c.geom))
                                     ORDER BY g.id LIMIT 1) AS grid_id
                              FROM compound c WHERE c.geom IS NOT NULL) j
                     WHERE c.id = j.id AND (c.area_code, c.grid_id) IS DISTINCT FROM (j.area_code, j.grid_id)
                    """),
            new Merge("building", """
                    UPDATE building b SET area_code = j.area_code, grid_id = j.grid_id,
                                          compound_id = coalesce(b.compound_id, j.compound_id)
                      FROM (SELECT b.id,
                                   (SELECT a.code FROM admin_area a WHERE a.level = 'community'
                                       AND ST_Contains(a.geom, b.entrance) ORDER BY a.code LIMIT 1) AS area_code,
                                   (SELECT g.id FROM grid g WHERE ST_Contains(g.geom, b.entrance) ORDER BY g.id LIMIT 1) AS grid_id,
                                   (SELECT c.id FROM compound c WHERE ST_Contains(c.geom, b.entrance) ORDER BY c.id LIMIT 1) AS compound_id
                              FROM building b) j
                     WHERE b.id = j.id AND ((b.area_code, b.grid_id) IS DISTINCT FROM (j.area_code, j.grid_id)
                                            OR (b.compound_id IS NULL AND j.compound_id IS NOT NULL))
                    """),
            // no address, or one that names no building: the building whose entrance is nearest, within 150 m
            new Merge("person", """
                    UPDATE person p SET building_id = n.id
                      FROM (SELECT p.id AS person_id,
                                   (SELECT b.id FROM building b
                                     WHERE ST_DWithin(b.entrance::geography, p.location::geography, 150)
                                     ORDER BY b.entrance <-> p.location LIMIT 1) AS id
                              FROM person p WHERE p.building_id IS NULL AND p.location IS NOT NULL) n
                     WHERE p.id = n.person_id AND n.id IS NOT NULL
                    """),
            new Merge("person", """
                    UPDATE person p SET area_code = j.area_code, grid_id = j.grid_id
                      FROM (SELECT p.id,
                                   CASE WHEN b.id IS NOT NULL THEN b.area_code ELSE
                                   (SELECT a.code FROM admin_area a WHERE a.level = 'community'
                                       AND ST_Contains(a.geom, p.location) ORDER BY a.code LIMIT 1) END AS area_code,
                                   CASE WHEN b.id IS NOT NULL THEN b.grid_id ELSE
                                   (SELECT g.id FROM grid g WHERE ST_Contains(g.geom, p.location) ORDER BY g.id LIMIT 1) END AS grid_id
                              FROM person p LEFT JOIN building b ON b.id = p.building_id) j
                     WHERE p.id = j.id AND (p.area_code, p.grid_id) IS DISTINCT FROM (j.area_code, j.grid_id)
                    """),
            new Merge("facility", """
                    UPDATE facility f SET area_code = j.area_code, grid_id = j.grid_id
                      FROM (SELECT f.id,
                                   (SELECT a.code FROM admin_area a WHERE a.level = 'community'
                                       AND ST_Contains(a.geom, f.location) ORDER BY a.code LIMIT 1) AS area_code,
                                   (SELECT g.id FROM grid g WHERE ST_Contains(g.geom, f.location) ORDER BY g.id LIMIT 1) AS grid_id
                              FROM facility f) j
                     WHERE f.id = j.id AND (f.area_code, f.grid_id) IS DISTINCT FROM (j.area_code, j.grid_id)
                    """));
}
