-- What a hospital can treat, for the emergency transfer (急诊转运): the OSM healthcare:speciality values
-- (obstetrics, paediatrics, ...) and whether it takes emergencies (OSM emergency=yes). Lower-case words
-- only, so that a suitability test is a plain array containment.
ALTER TABLE facility ADD COLUMN specialities text[] NOT NULL DEFAULT '{}'
    CHECK (array_position(specialities, NULL) IS NULL
           AND array_to_string(specialities, ',') ~ '^([a-z_]{2,40}(,[a-z_]{2,40})*)?$');
ALTER TABLE facility ADD COLUMN emergency boolean NOT NULL DEFAULT false;
CREATE INDEX facility_emergency_idx ON facility USING gist (location) WHERE kind = 'hospital' AND emergency;
