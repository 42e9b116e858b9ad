package org.caregrid.importer;

import java.time.LocalDateTime;

/** A medicine-delivery request (送药到户) from a key person, not yet served. */
public record DeliveryRequest(String externalId, String personExternalId, LocalDateTime requestedAt,
                              String medicine) {
}
