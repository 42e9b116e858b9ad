package org.caregrid.routing.bench;

import org.caregrid.routing.Place;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Buildings and pharmacies of an OSM XML file (plain or .gz), for the nearest-facility benchmark: a building is
 * its nodes' mean point (a stand-in for its entrance), a pharmacy is an {@code amenity=pharmacy} node or way.
 */
record OsmPlaces(List<Place> buildings, List<Place> pharmacies) {

    static OsmPlaces read(Path osm) throws IOException {
        Map<Long, double[]> nodes = new HashMap<>();
        List<Place> buildings = new ArrayList<>();
        List<Place> pharmacies = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(osm);
             InputStream in = osm.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
            XMLInputFactory factory = XMLInputFactory.newFactory();
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            XMLStreamReader xml = factory.createXMLStreamReader(in);
            String element = null;
            long id = 0;
            double lat = 0;
            double lon = 0;
            List<Long> refs = new ArrayList<>();
            boolean building = false;
            boolean pharmacy = false;
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String name = xml.getLocalName();
                    switch (name) {
                        case "node", "way" -> {
                            element = name;
                            id = Long.parseLong(xml.getAttributeValue(null, "id"));
                            refs.clear();
                            building = false;
                            pharmacy = false;
                            if (name.equals("node")) {
                                lat = Double.parseDouble(xml.getAttributeValue(null, "lat"));
                                lon = Double.parseDouble(xml.getAttributeValue(null, "lon"));
                                nodes.put(id, new double[]{lat, lon});
                            }
                        }
                        case "nd" -> refs.add(Long.parseLong(xml.getAttributeValue(null, "ref")));
                        case "tag" -> {
                            String k = xml.getAttributeValue(null, "k");
                            String v = xml.getAttributeValue(null, "v");
                            building |= k.equals("building") && !v.equals("no");
                            pharmacy |= k.equals("amenity") && v.equals("pharmacy");
                        }
                        default -> {
                        }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals(element)) {
                    double[] point = element.equals("node") ? new double[]{lat, lon} : mean(refs, nodes);
                    if (point != null && pharmacy) {
                        pharmacies.add(new Place(element + "/" + id, point[0], point[1]));
                    } else if (point != null && building && element.equals("way")) {
                        buildings.add(new Place("way/" + id, point[0], point[1]));
                    }
                    element = null;
                }
            }
        } catch (XMLStreamException e) {
            throw new IOException("cannot read " + osm + ": " + e.getMessage(), e);
        }
        return new OsmPlaces(buildings, pharmacies);
    }

    private static double[] mean(List<Long> refs, Map<Long, double[]> nodes) {
        double lat = 0;
        double lon = 0;
        int n = 0;
        for (long ref : refs) {
            double[] p = nodes.get(ref);
            if (p != null) {
                lat += p[0];
                lon += p[1];
                n++;
            }
        }
        return n == 0 ? null : new double[]{lat / n, lon / n};
    }
}
