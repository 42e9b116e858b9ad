-- One "today" in SQL as in Java: the configured zone's date that the server sets on every connection
-- (caregrid.today, db/ScopedDataSource). current_date follows the database's clock zone and is a day
-- behind Asia/Shanghai from 16:00 UTC, so a default of current_date dated an evening's registration or
-- imported appointment a day early. Outside the server (psql, a migration) the setting is absent and the
-- database's own date is the only one there is.
CREATE FUNCTION caregrid_today() RETURNS date
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(CAST(nullif(current_setting('caregrid.today', true), '') AS date), current_date) $$;

ALTER TABLE key_person ALTER COLUMN registered_on SET DEFAULT caregrid_today();
ALTER TABLE role_assignment ALTER COLUMN valid_from SET DEFAULT caregrid_today();
ALTER TABLE volunteer ALTER COLUMN registered_on SET DEFAULT caregrid_today();
