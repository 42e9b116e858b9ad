-- A facility opened, moved, closed or changed kind: only the pharmacy-access columns of the key persons whose
-- straight-line estimate it may change are refreshed (V45's coverage_refresh_pharmacy), not their whole state
-- (visits, responsible persons' stretches and walks). An import of more than 50 facilities refreshes every
-- estimated key person: at 1 M residents that rebuilt 106 731 whole rows. The choice of persons is V29's.
CREATE OR REPLACE FUNCTION coverage_on_facility() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
    ids bigint[] := '{}';
    opened integer := 0;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        ids := ARRAY(SELECT c.person_id FROM coverage_key_person c
                      WHERE c.pharmacy_status IS NULL AND c.estimate_facility_id = ANY (ARRAY(SELECT id FROM old_rows)));
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT count(*) INTO opened FROM new_rows
         WHERE kind IN ('pharmacy', 'clinic', 'village_clinic', 'community_health_centre');
        IF opened > 50 THEN
            ids := ARRAY(SELECT c.person_id FROM coverage_key_person c WHERE c.pharmacy_status IS NULL);
        ELSIF opened > 0 THEN
            ids := ids || ARRAY(
                SELECT c.person_id FROM coverage_key_person c
                  LEFT JOIN facility e ON e.id = c.estimate_facility_id
                 WHERE c.pharmacy_status IS NULL AND c.home IS NOT NULL
                   AND EXISTS (SELECT 1 FROM new_rows f
                                WHERE f.kind IN ('pharmacy', 'clinic', 'village_clinic', 'community_health_centre')
                                  AND (e.id IS NULL OR (f.location <-> c.home) <= (e.location <-> c.home))));
        END IF;
    END IF;
    IF cardinality(ids) > 0 THEN
        PERFORM coverage_refresh_pharmacy(ARRAY(SELECT DISTINCT unnest(ids)));
    END IF;
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION coverage_on_facility() FROM PUBLIC;
