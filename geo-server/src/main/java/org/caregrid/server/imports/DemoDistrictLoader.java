package org.caregrid.server.imports;

import java.sql.Connection;
import java.sql.SQLException;

import org.caregrid.importer.demo.DemoDistrict;
import org.caregrid.server.people.IdNumberHasher;

/** Loads a generated district (places, then its population streamed building by building) through the loader. */
public final class DemoDistrictLoader {

    public static final String SOURCE = "demo";

    private DemoDistrictLoader() {
    }

    /** Within the caller's transaction. */
    public static RecordLoader.Report load(Connection connection, DemoDistrict district, IdNumberHasher hasher)
            throws SQLException {
        RecordLoader loader = new RecordLoader(connection, SOURCE, "demo district", hasher);
        district.adminAreas().forEach(loader::adminArea);
        district.grids().forEach(loader::grid);
        district.compounds().forEach(loader::compound);
        district.buildings().forEach(loader::building);
        district.units().forEach(loader::unit);
        district.facilities().forEach(loader::facility);
        district.microOrganisations().forEach(loader::microOrganisation);
        district.visitPopulation(loader);
        return loader.finish();
    }
}
