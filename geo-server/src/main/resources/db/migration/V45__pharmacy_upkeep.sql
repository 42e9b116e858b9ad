-- A write of nearest_facility (the routing refresh writes every key person's row at once) changes only the
-- pharmacy-access columns of their coverage state; V20 rebuilt each person's whole state for it (visits,
-- responsible persons' stretches and walks): 44–52 s of a 1 M-resident refresh whose search takes 0.6 s.
-- The same pharmacy expressions as coverage_refresh_key_persons (V29), on the state's home; rows whose pharmacy
-- columns come out the same are left alone.
CREATE FUNCTION coverage_refresh_pharmacy(ids bigint[]) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET plan_cache_mode = force_custom_plan AS
$$
BEGIN
    -- the lock coverage_refresh_key_persons takes: a concurrent rebuild of one of these persons' state waits for
    -- this transaction and then reads its walks, or this update waits for the rebuild and then updates its row
    PERFORM 1 FROM key_person WHERE person_id = ANY (ids) ORDER BY person_id FOR NO KEY UPDATE;
    WITH fresh AS (
        SELECT c.person_id, n.status, e.facility_id, e.metres, n.computed_at, s.pharmacy_max_min,
               CASE WHEN n.status = 'reached' THEN n.duration_s / 60.0
                    WHEN n.status IS NULL THEN e.metres * s.detour_factor / s.walking_speed / 60.0 END AS minutes
          FROM coverage_key_person c
         CROSS JOIN coverage_setting s
          LEFT JOIN nearest_facility n ON n.person_id = c.person_id AND n.facility_group = 'health'
          -- the straight-line estimate, only for persons with no stored walk
          LEFT JOIN LATERAL (SELECT f.id AS facility_id, ST_Distance(c.home::geography, f.location::geography) AS metres
                               FROM facility f
                              WHERE n.status IS NULL AND c.home IS NOT NULL
                                AND f.kind IN ('pharmacy', 'clinic', 'village_clinic', 'community_health_centre')
                              ORDER BY f.location <-> c.home LIMIT 1) e ON true
         WHERE c.person_id = ANY (ids))
    UPDATE coverage_key_person c
       SET pharmacy_status = f.status, estimate_facility_id = f.facility_id, estimate_m = f.metres,
           pharmacy_minutes = f.minutes,
           pharmacy_ok = f.minutes <= f.pharmacy_max_min AND coalesce(f.status, 'reached') = 'reached',
           pharmacy_computed_at = f.computed_at
      FROM fresh f
     WHERE c.person_id = f.person_id
       AND (c.pharmacy_status, c.estimate_facility_id, c.estimate_m, c.pharmacy_minutes, c.pharmacy_computed_at)
           IS DISTINCT FROM (f.status, f.facility_id, f.metres, f.minutes, f.computed_at);
END
$$;

CREATE FUNCTION coverage_on_nearest_facility() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
    ids bigint[] := '{}';
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        ids := ARRAY(SELECT person_id FROM new_rows);
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        ids := ids || ARRAY(SELECT person_id FROM old_rows);
    END IF;
    PERFORM coverage_refresh_pharmacy(ARRAY(SELECT DISTINCT unnest(ids)));
    RETURN NULL;
END
$$;

REVOKE EXECUTE ON FUNCTION coverage_refresh_pharmacy(bigint[]), coverage_on_nearest_facility() FROM PUBLIC;

DROP TRIGGER coverage_nearest_facility_insert ON nearest_facility;
DROP TRIGGER coverage_nearest_facility_update ON nearest_facility;
DROP TRIGGER coverage_nearest_facility_delete ON nearest_facility;
CREATE TRIGGER coverage_nearest_facility_insert AFTER INSERT ON nearest_facility REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION coverage_on_nearest_facility();
CREATE TRIGGER coverage_nearest_facility_update AFTER UPDATE ON nearest_facility
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION coverage_on_nearest_facility();
CREATE TRIGGER coverage_nearest_facility_delete AFTER DELETE ON nearest_facility REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION coverage_on_nearest_facility();
