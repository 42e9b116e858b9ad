-- Denied attempts on personal data are logged too (issue 14): every row says whether the data was shown.
-- The server's role keeps only INSERT (and SELECT for administrators) on the table: the grants are per table.
ALTER TABLE audit_log ADD COLUMN outcome text NOT NULL DEFAULT 'allowed' CHECK (outcome IN ('allowed', 'denied'));
CREATE INDEX audit_log_denied_idx ON audit_log (at) WHERE outcome = 'denied';
