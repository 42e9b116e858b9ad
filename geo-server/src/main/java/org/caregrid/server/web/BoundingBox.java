package org.caregrid.server.web;


/** A {@code bbox=minLon,minLat,maxLon,maxLat} query parameter in WGS84, checked at the edge. */
public record BoundingBox(double minLon, double minLat, double maxLon, double maxLat) {

    public static BoundingBox parse(String text) {
        if (text == null || text.isBlank()) {
            throw badRequest("error.bbox.required");
        }
        String[] parts = text.split(",");
        if (parts.length != 4) {
            throw badRequest("error.bbox.count", parts.length, text);
        }
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
            try {
                v[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw badRequest("error.bbox.number", i + 1, parts[i].trim());
            }
            if (!Double.isFinite(v[i])) {
                throw badRequest("error.bbox.number", i + 1, parts[i].trim());
            }
        }
        if (v[0] < -180 || v[2] > 180 || v[1] < -90 || v[3] > 90) {
            throw badRequest("error.bbox.world", text);
        }
        if (v[0] >= v[2] || v[1] >= v[3]) {
            throw badRequest("error.bbox.order", text);
        }
        return new BoundingBox(v[0], v[1], v[2], v[3]);
    }

    private static ApiException badRequest(String key, Object... args) {
        return ApiException.invalid("bbox", key, args);
    }
}
