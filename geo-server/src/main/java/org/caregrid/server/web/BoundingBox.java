package org.caregrid.server.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** A {@code bbox=minLon,minLat,maxLon,maxLat} query parameter in WGS84, checked at the edge. */
public record BoundingBox(double minLon, double minLat, double maxLon, double maxLat) {

    public static BoundingBox parse(String text) {
        if (text == null || text.isBlank()) {
            throw badRequest("bbox is required: bbox=minLon,minLat,maxLon,maxLat (WGS84 degrees)");
        }
        String[] parts = text.split(",");
        if (parts.length != 4) {
            throw badRequest("bbox needs 4 numbers minLon,minLat,maxLon,maxLat; got " + parts.length + ": " + text);
        }
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
            try {
                v[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw badRequest("bbox value " + (i + 1) + " is not a number: '" + parts[i].trim() + "'");
            }
            if (!Double.isFinite(v[i])) {
                throw badRequest("bbox value " + (i + 1) + " is not finite");
            }
        }
        if (v[0] < -180 || v[2] > 180 || v[1] < -90 || v[3] > 90) {
            throw badRequest("bbox lies outside WGS84 longitude -180..180 / latitude -90..90: " + text
                    + " (is it in a projected CRS, or latitude first?)");
        }
        if (v[0] >= v[2] || v[1] >= v[3]) {
            throw badRequest("bbox minimum must be below maximum: " + text);
        }
        return new BoundingBox(v[0], v[1], v[2], v[3]);
    }

    private static ResponseStatusException badRequest(String message) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, message);
    }
}
