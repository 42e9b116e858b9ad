package org.caregrid.server.vocabulary;

import org.caregrid.importer.Coded;

/** Why a person left the register (person.closed_reason): 死亡, 迁出. */
public enum ClosingReason implements Coded {
    DECEASED, MOVED_AWAY
}
