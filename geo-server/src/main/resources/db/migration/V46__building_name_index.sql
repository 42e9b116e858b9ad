-- An import's persons name their building by external id or else by a name only one building has (LoadSql's person
-- merge). Without an index that name was looked up by reading every building, once per building named: 10 s of a
-- 1 M-resident load, and at 10 M residents (138 000 buildings) more than an hour, growing with the square.
CREATE INDEX building_name_idx ON building (name);
