-- Two servers on one database (docs/scaling.md).

-- Browser sessions, shared by every server. The server's role reads and writes them (no row-level security: a
-- session is looked up by its unguessable id before anyone is known). No personal data: the user name, the
-- times, and the session's plain text attributes; who the user is and may do is read from app_user each time.
CREATE TABLE web_session (
    id                   text PRIMARY KEY,
    username             text,
    attributes           jsonb       NOT NULL DEFAULT '{}',
    created_at           timestamptz NOT NULL,
    last_accessed_at     timestamptz NOT NULL,
    max_inactive_seconds integer     NOT NULL CHECK (max_inactive_seconds > 0),
    expires_at           timestamptz NOT NULL
);
CREATE INDEX web_session_expires_idx ON web_session (expires_at);

-- The server that claimed an import job (ImportJobs): start-up recovery fails only jobs whose runner is gone.
ALTER TABLE import_job ADD COLUMN runner text;
