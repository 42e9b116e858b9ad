package org.caregrid.server.vocabulary;

import org.caregrid.importer.Coded;

/** Where a medicine delivery request stands (delivery_request.status). */
public enum DeliveryStatus implements Coded {
    PENDING, PLANNED, ASSIGNED, IN_PROGRESS, DELIVERED, FAILED, CANCELLED, UNSERVABLE
}
