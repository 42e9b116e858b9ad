package org.caregrid.importer;

/** Postal address parts as the source gives them; any part may be null. */
public record Address(String city, String district, String street, String houseNumber, String compound,
                      String postcode) {

    public static final Address NONE = new Address(null, null, null, null, null, null);

    public boolean isEmpty() {
        return city == null && district == null && street == null && houseNumber == null && compound == null
                && postcode == null;
    }
}
