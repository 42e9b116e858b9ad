package org.caregrid.server.vocabulary;

import org.caregrid.importer.Coded;

/** How soon a medicine delivery is wanted (delivery_request.urgency). */
public enum DeliveryUrgency implements Coded {
    NORMAL, URGENT
}
