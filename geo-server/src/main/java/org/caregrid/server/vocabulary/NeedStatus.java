package org.caregrid.server.vocabulary;

import org.caregrid.importer.Coded;

/** Where a need on the needs list stands (need.status): open → taken → done, or escalated to the street. */
public enum NeedStatus implements Coded {
    OPEN, TAKEN, DONE, ESCALATED
}
