-- A roster import (楼栋长/单元长/包保责任人名册) answers with a plan: each appointment it creates, leaves as it is,
-- or ends, one JSON object each ({action, row, role, building, unit, person, keyPerson, validFrom, validTo,
-- assignmentId}). A dry run keeps its plan here too, and writes nothing else.
ALTER TABLE import_job ADD COLUMN plan jsonb NOT NULL DEFAULT '[]',
                       ADD COLUMN dry_run boolean NOT NULL DEFAULT false;
