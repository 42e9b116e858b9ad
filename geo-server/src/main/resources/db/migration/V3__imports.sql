-- Import jobs and what re-imports need to upsert.

-- One row per import (upload, command line, demo). errors holds every problem the readers and the loader found,
-- each {file, row, field, severity, reason}; counts holds rows per table, e.g. {"building": 962}.
CREATE TABLE import_job (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text NOT NULL,
    file_name   text NOT NULL,
    crs         text,
    status      text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    rows_read   bigint NOT NULL DEFAULT 0 CHECK (rows_read >= 0),
    rows_total  bigint,
    -- 0..1: reading is the first 70 %, loading the rest
    progress    real NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
    counts      jsonb NOT NULL DEFAULT '{}',
    errors      jsonb NOT NULL DEFAULT '[]',
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    started_at  timestamptz,
    finished_at timestamptz
);
CREATE INDEX import_job_created_idx ON import_job (created_at DESC);

-- Rows that come from files get the same (source, external_id) key as places and people, so that importing a
-- source twice changes nothing.
ALTER TABLE micro_organisation ADD COLUMN source text NOT NULL DEFAULT 'manual',
                               ADD COLUMN external_id text,
                               ADD UNIQUE (source, external_id);
ALTER TABLE visit ADD COLUMN source text NOT NULL DEFAULT 'manual',
                  ADD COLUMN external_id text,
                  ADD UNIQUE (source, external_id);
ALTER TABLE delivery_request ADD COLUMN source text NOT NULL DEFAULT 'manual',
                             ADD COLUMN external_id text,
                             ADD UNIQUE (source, external_id);

-- Files refer to one another by external id (a key-person ledger names persons of a resident ledger, a person
-- file names buildings of a survey): the record of the same source first, else the oldest of any source.
CREATE INDEX person_external_id_idx ON person (external_id);
CREATE INDEX building_external_id_idx ON building (external_id);

CREATE FUNCTION person_by_external_id(from_source text, ref text) RETURNS bigint
    LANGUAGE sql STABLE STRICT PARALLEL SAFE AS
$$ SELECT id FROM person WHERE external_id = ref ORDER BY source <> from_source, id LIMIT 1 $$;

CREATE FUNCTION building_by_external_id(from_source text, ref text) RETURNS bigint
    LANGUAGE sql STABLE STRICT PARALLEL SAFE AS
$$ SELECT id FROM building WHERE external_id = ref ORDER BY source <> from_source, id LIMIT 1 $$;
