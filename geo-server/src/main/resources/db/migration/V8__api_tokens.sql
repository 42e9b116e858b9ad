-- Personal access tokens for scripts and GIS clients (Authorization: Bearer cg_…). Only the SHA-256 of a
-- token is stored: the token itself is shown once, when it is made. Tokens are revoked, never deleted,
-- so that what a token did stays attributable.
CREATE TABLE api_token (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES app_user (id),
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    token_hash   bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz,
    CHECK (expires_at IS NULL OR expires_at > created_at)
);
CREATE INDEX api_token_user_idx ON api_token (user_id);
