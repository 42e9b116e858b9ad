package org.caregrid.server.imports;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.caregrid.importer.Address;
import org.caregrid.importer.Building;
import org.caregrid.importer.Unit;
import org.caregrid.importer.demo.SyntheticPopulation;
import org.caregrid.server.config.Today;
import org.caregrid.server.people.IdNumberHasher;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKTReader;
import org.springframework.stereotype.Component;

/**
 * {@code ./caregrid populate}: synthetic residents, heads, key persons, volunteers, visits and requests for the
 * buildings that have a household count and nobody living in them yet (e.g. after {@code import-osm}), through the
 * loader in one transaction. Every person is marked is_synthetic; their source is "synthetic".
 */
@Component
public class Populate {

    public static final String SOURCE = "synthetic";

    private static final String EMPTY_BUILDINGS = """
            SELECT b.external_id, b.source, b.name, ST_AsText(ST_GeometryN(b.footprint, 1)) AS footprint,
                   ST_AsText(b.entrance) AS entrance, b.floors, b.households, b.households_estimated
              FROM building b
             WHERE b.households > 0 AND b.footprint IS NOT NULL AND b.external_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM person p WHERE p.building_id = b.id)
             ORDER BY b.id
            """;

    private static final String THEIR_UNITS = """
            SELECT b.external_id, u.number, u.households, ST_AsText(u.entrance) AS entrance
              FROM unit u JOIN building b ON b.id = u.building_id
             WHERE b.households > 0 AND NOT EXISTS (SELECT 1 FROM person p WHERE p.building_id = b.id)
             ORDER BY u.id
            """;

    private final DataSource dataSource;
    private final IdNumberHasher hasher;
    private final Today today;

    Populate(DataSource dataSource, IdNumberHasher hasher, Today today) {
        this.dataSource = dataSource;
        this.hasher = hasher;
        this.today = today;
    }

    public record Result(int buildings, RecordLoader.Report report) {
        public String describe() {
            return "Populated " + buildings + " buildings with synthetic people in " + report.millis() + " ms: "
                    + report.staged();
        }
    }

    public Result run(long seed) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<Building> buildings = buildings(connection);
                List<Unit> units = units(connection);
                RecordLoader loader = new RecordLoader(connection, SOURCE, "populate", hasher);
                // the visits' dates count back from the configured zone's day, as the coverage figures count them
                SyntheticPopulation.populate(seed, buildings, units, today.date(), loader);
                RecordLoader.Report report = loader.finish();
                connection.commit();
                return new Result(buildings.size(), report);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static List<Building> buildings(Connection connection) throws SQLException {
        List<Building> buildings = new ArrayList<>();
        WKTReader wkt = new WKTReader();
        try (var s = connection.createStatement(); var rs = s.executeQuery(EMPTY_BUILDINGS)) {
            while (rs.next()) {
                buildings.add(new Building(rs.getString("external_id"), rs.getString("source"), rs.getString("name"),
                        null, (Polygon) read(wkt, rs.getString("footprint")), (Point) read(wkt, rs.getString("entrance")),
                        (Integer) rs.getObject("floors"), rs.getInt("households"), rs.getBoolean("households_estimated"),
                        null, Address.NONE));
            }
        }
        return buildings;
    }

    private static List<Unit> units(Connection connection) throws SQLException {
        List<Unit> units = new ArrayList<>();
        WKTReader wkt = new WKTReader();
        try (var s = connection.createStatement(); var rs = s.executeQuery(THEIR_UNITS)) {
            while (rs.next()) {
                units.add(new Unit(rs.getString(1), rs.getString(2), rs.getInt(3), (Point) read(wkt, rs.getString(4))));
            }
        }
        return units;
    }

    private static Geometry read(WKTReader wkt, String text) {
        if (text == null) {
            return null;
        }
        try {
            Geometry geometry = wkt.read(text);
            geometry.setSRID(4326);
            return geometry;
        } catch (ParseException e) {
            throw new IllegalStateException("PostGIS returned unreadable WKT: " + e.getMessage(), e);
        }
    }
}
