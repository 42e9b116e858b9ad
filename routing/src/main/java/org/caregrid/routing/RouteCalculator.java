package org.caregrid.routing;

import com.graphhopper.GHRequest;
import com.graphhopper.GHResponse;
import com.graphhopper.ResponsePath;
import com.graphhopper.util.Instruction;
import com.graphhopper.util.PointList;
import com.graphhopper.util.Translation;
import com.graphhopper.util.shapes.GHPoint;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** A→B (and via points) on GraphHopper's own router, with our snapping report in front of it. */
final class RouteCalculator {
    static final GeometryFactory WGS84 = new GeometryFactory();

    private final RoadNetwork network;

    RouteCalculator(RoadNetwork network) {
        this.network = network;
    }

    RouteResult route(TravelMode mode, List<Place> points, Locale locale) {
        network.requireMode(mode);
        if (points.size() < 2) {
            throw new IllegalArgumentException("a route needs at least two points, got " + points.size());
        }
        // Snap first ourselves: GraphHopper's own error names only an index, we want ids and distances.
        List<Unsnapped> unsnapped = network.snapAll(mode, points).stream()
                .filter(s -> s.snap() == null).map(RoadNetwork.Snapping::failure).toList();
        if (!unsnapped.isEmpty()) {
            return RouteResult.notFound(unsnapped, "cannot snap " + unsnapped.stream().map(Unsnapped::id)
                    .collect(Collectors.joining(", ")) + " to the " + mode.profileName() + " network");
        }
        GHRequest request = new GHRequest(points.stream().map(p -> new GHPoint(p.lat(), p.lon())).toList())
                .setProfile(mode.profileName())
                .setLocale(locale);
        GHResponse response = network.hopper().route(request);
        if (response.hasErrors()) {
            return RouteResult.notFound(List.of(), response.getErrors().get(0).getMessage());
        }
        return RouteResult.found(toRoute(response.getBest(), locale));
    }

    private Route toRoute(ResponsePath path, Locale locale) {
        Translation translation = network.hopper().getTranslationMap().getWithFallBack(locale);
        List<Route.TurnInstruction> instructions = new ArrayList<>();
        int pointIndex = 0;
        for (Instruction instruction : path.getInstructions()) {
            instructions.add(new Route.TurnInstruction(instruction.getSign(), instruction.getTurnDescription(translation),
                    instruction.getName(), instruction.getDistance(), instruction.getTime(), pointIndex));
            pointIndex += instruction.getLength();
        }
        return new Route(lineString(path.getPoints()), path.getDistance(), path.getTime(), path.getRouteWeight(),
                instructions);
    }

    static LineString lineString(PointList points) {
        Coordinate[] coordinates = new Coordinate[points.size()];
        for (int i = 0; i < points.size(); i++) {
            coordinates[i] = new Coordinate(points.getLon(i), points.getLat(i));
        }
        if (coordinates.length == 1) {
            // A route between two points on the same spot: JTS needs two coordinates for a line.
            coordinates = new Coordinate[]{coordinates[0], coordinates[0]};
        }
        return WGS84.createLineString(coordinates);
    }
}
