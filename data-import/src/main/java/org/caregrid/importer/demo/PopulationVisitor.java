package org.caregrid.importer.demo;

import org.caregrid.importer.DeliveryRequest;
import org.caregrid.importer.Head;
import org.caregrid.importer.Household;
import org.caregrid.importer.KeyPersonProfile;
import org.caregrid.importer.Person;
import org.caregrid.importer.Visit;
import org.caregrid.importer.Volunteer;

/**
 * Receives the demo population building by building, so a million residents never sit in memory at once. For each
 * building: its households and persons, then its heads, key-person profiles, volunteers, visits and requests.
 */
public interface PopulationVisitor {

    default void household(Household household) {
    }

    default void person(Person person) {
    }

    default void head(Head head) {
    }

    default void keyPerson(KeyPersonProfile profile) {
    }

    default void volunteer(Volunteer volunteer) {
    }

    default void visit(Visit visit) {
    }

    default void deliveryRequest(DeliveryRequest request) {
    }
}
