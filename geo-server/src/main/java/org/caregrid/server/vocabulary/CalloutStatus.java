package org.caregrid.server.vocabulary;

import org.caregrid.importer.Coded;

/** Where a call-out of the reserve stands (callout.status): open until the accepted answers fill it, or closed. */
public enum CalloutStatus implements Coded {
    OPEN, FILLED, CLOSED
}
