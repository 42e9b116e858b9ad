package org.caregrid.routing.optimize;

public enum StopKind {
    START, PICKUP, DELIVERY, VISIT, END
}
