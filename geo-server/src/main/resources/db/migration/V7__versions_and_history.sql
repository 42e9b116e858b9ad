-- Writes: every editable record carries a version (ETag / If-Match), every change lands in an
-- append-only history with who, when, before, after and why, and one building or unit never has two
-- heads in office at once, however many grid workers appoint at the same moment.

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- The version goes up by one with every update, whoever makes it (the API, an import, psql).
CREATE FUNCTION bump_version() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN NEW.version := OLD.version + 1; RETURN NEW; END $$;

ALTER TABLE role_assignment ADD COLUMN version integer NOT NULL DEFAULT 1,
                            ADD COLUMN tier text CHECK (tier IN ('city', 'county', 'street')),
                            ADD COLUMN end_reason text,
                            ADD CHECK (tier IS NULL OR role = 'reserve');
ALTER TABLE person ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE key_person ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE volunteer ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE facility ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE delivery_request ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE micro_organisation ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE app_user ADD COLUMN version integer NOT NULL DEFAULT 1;

CREATE TRIGGER role_assignment_version BEFORE UPDATE ON role_assignment FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER person_version BEFORE UPDATE ON person FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER key_person_version BEFORE UPDATE ON key_person FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER volunteer_version BEFORE UPDATE ON volunteer FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER facility_version BEFORE UPDATE ON facility FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER delivery_request_version BEFORE UPDATE ON delivery_request FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER micro_organisation_version BEFORE UPDATE ON micro_organisation FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER app_user_version BEFORE UPDATE ON app_user FOR EACH ROW EXECUTE FUNCTION bump_version();

-- One head in office per building and per unit on any day: a constraint, not a check in the server.
ALTER TABLE role_assignment ADD CONSTRAINT one_building_head_at_a_time
    EXCLUDE USING gist (scope_building_id WITH =, daterange(valid_from, valid_to, '[]') WITH &&)
    WHERE (role = 'building_head');
ALTER TABLE role_assignment ADD CONSTRAINT one_unit_head_at_a_time
    EXCLUDE USING gist (scope_unit_id WITH =, daterange(valid_from, valid_to, '[]') WITH &&)
    WHERE (role = 'unit_head');

-- The change history: rows are only ever added, by the trigger below (the server's role may read them,
-- never write, change or remove them), so the history cannot be forged or edited through the server.
CREATE TABLE change_history (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    username  text NOT NULL,
    entity    text NOT NULL,
    entity_id bigint NOT NULL,
    action    text NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    before    jsonb,
    after     jsonb,
    reason    text
);
CREATE INDEX change_history_entity_idx ON change_history (entity, entity_id, id DESC);

CREATE FUNCTION change_history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN RAISE EXCEPTION 'change_history is append-only'; END $$;
CREATE TRIGGER change_history_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON change_history
    FOR EACH STATEMENT EXECUTE FUNCTION change_history_is_append_only();

-- One statement-level trigger per table and kind of change: a bulk import writes its history in one
-- INSERT ... SELECT, not a row at a time. TG_ARGV: the entity's name, its key column. The user and the
-- reason come from the settings the server gives each transaction (caregrid.user, caregrid.reason).
-- Password hashes never enter the history.
CREATE FUNCTION record_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
    who  text := coalesce(nullif(current_setting('caregrid.user', true), ''), current_user::text);
    why  text := nullif(current_setting('caregrid.reason', true), '');
BEGIN
    IF TG_OP = 'INSERT' THEN
        EXECUTE format('INSERT INTO change_history (username, entity, entity_id, action, after, reason)
                        SELECT $1, $2, (n.%1$I)::bigint, ''create'', to_jsonb(n) - ''password_hash'', $3 FROM new_rows n',
                       TG_ARGV[1]) USING who, TG_ARGV[0], why;
    ELSIF TG_OP = 'UPDATE' THEN
        EXECUTE format('INSERT INTO change_history (username, entity, entity_id, action, before, after, reason)
                        SELECT $1, $2, (n.%1$I)::bigint, ''update'', to_jsonb(o) - ''password_hash'', to_jsonb(n) - ''password_hash'', $3
                          FROM new_rows n JOIN old_rows o ON o.%1$I = n.%1$I', TG_ARGV[1]) USING who, TG_ARGV[0], why;
    ELSE
        EXECUTE format('INSERT INTO change_history (username, entity, entity_id, action, before, reason)
                        SELECT $1, $2, (o.%1$I)::bigint, ''delete'', to_jsonb(o) - ''password_hash'', $3 FROM old_rows o',
                       TG_ARGV[1]) USING who, TG_ARGV[0], why;
    END IF;
    RETURN NULL;
END
$$;

DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('role_assignment', 'assignment', 'id'), ('person', 'person', 'id'),
                                   ('key_person', 'key-person', 'person_id'), ('volunteer', 'volunteer', 'person_id'),
                                   ('facility', 'facility', 'id'), ('delivery_request', 'delivery-request', 'id'),
                                   ('micro_organisation', 'organisation', 'id'), ('app_user', 'user', 'id'))
                            AS x (tbl, entity, key)
    LOOP
        EXECUTE format('CREATE TRIGGER %1$s_history_insert AFTER INSERT ON %1$I REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION record_change(%2$L, %3$L)', t.tbl, t.entity, t.key);
        EXECUTE format('CREATE TRIGGER %1$s_history_update AFTER UPDATE ON %1$I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION record_change(%2$L, %3$L)', t.tbl, t.entity, t.key);
        EXECUTE format('CREATE TRIGGER %1$s_history_delete AFTER DELETE ON %1$I REFERENCING OLD TABLE AS old_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION record_change(%2$L, %3$L)', t.tbl, t.entity, t.key);
    END LOOP;
END
$$;

ALTER TABLE change_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE change_history FORCE ROW LEVEL SECURITY;
-- the server reads the history of a record only after checking that the caller sees the record
CREATE POLICY change_history_read ON change_history FOR SELECT USING (true);
-- rows come from record_change(), which runs as the owner; never from the server's role itself
CREATE POLICY change_history_written_by_trigger ON change_history FOR INSERT
    WITH CHECK (current_user::text <> '${appRole}');
