package org.caregrid.server.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough of a Mapbox Vector Tile 2.1 decoder to check what a tile holds: its layers, and each feature's
 * id, geometry type and attributes (the protobuf wire format read by hand).
 */
public final class MvtReader {

    public record Feature(Long id, int type, Map<String, Object> attributes) {
    }

    public record Layer(String name, int extent, List<Feature> features) {
    }

    private final byte[] buf;
    private int pos;
    private final int end;

    private MvtReader(byte[] buf, int start, int end) {
        this.buf = buf;
        this.pos = start;
        this.end = end;
    }

    public static Map<String, Layer> layers(byte[] tile) {
        Map<String, Layer> layers = new LinkedHashMap<>();
        MvtReader r = new MvtReader(tile, 0, tile.length);
        while (r.pos < r.end) {
            long key = r.varint();
            if (key >>> 3 == 3 && (key & 7) == 2) {
                Layer layer = r.sub().layer();
                layers.put(layer.name(), layer);
            } else {
                r.skip((int) (key & 7));
            }
        }
        return layers;
    }

    private Layer layer() {
        String name = null;
        int extent = 4096;
        List<String> keys = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        List<long[]> rawFeatures = new ArrayList<>();
        List<List<Long>> tags = new ArrayList<>();
        while (pos < end) {
            long key = varint();
            int field = (int) (key >>> 3);
            if (field == 1) {
                name = sub().string();
            } else if (field == 2) {
                MvtReader f = sub();
                long id = -1;
                long type = 0;
                List<Long> featureTags = new ArrayList<>();
                while (f.pos < f.end) {
                    long fk = f.varint();
                    int ff = (int) (fk >>> 3);
                    if (ff == 1) {
                        id = f.varint();
                    } else if (ff == 2) {
                        MvtReader t = f.sub();
                        while (t.pos < t.end) {
                            featureTags.add(t.varint());
                        }
                    } else if (ff == 3) {
                        type = f.varint();
                    } else {
                        f.skip((int) (fk & 7));
                    }
                }
                rawFeatures.add(new long[] {id, type});
                tags.add(featureTags);
            } else if (field == 3) {
                keys.add(sub().string());
            } else if (field == 4) {
                values.add(sub().value());
            } else if (field == 5) {
                extent = (int) varint();
            } else {
                skip((int) (key & 7));
            }
        }
        List<Feature> features = new ArrayList<>();
        for (int i = 0; i < rawFeatures.size(); i++) {
            Map<String, Object> attributes = new LinkedHashMap<>();
            List<Long> t = tags.get(i);
            for (int k = 0; k + 1 < t.size(); k += 2) {
                attributes.put(keys.get(t.get(k).intValue()), values.get(t.get(k + 1).intValue()));
            }
            long id = rawFeatures.get(i)[0];
            features.add(new Feature(id < 0 ? null : id, (int) rawFeatures.get(i)[1], attributes));
        }
        return new Layer(name, extent, features);
    }

    private Object value() {
        Object v = null;
        while (pos < end) {
            long key = varint();
            int field = (int) (key >>> 3);
            switch (field) {
                case 1 -> v = sub().string();
                case 2 -> {
                    v = Float.intBitsToFloat((int) fixed(4));
                }
                case 3 -> v = Double.longBitsToDouble(fixed(8));
                case 4, 5 -> v = varint();
                case 6 -> {
                    long n = varint();
                    v = (n >>> 1) ^ -(n & 1);
                }
                case 7 -> v = varint() != 0;
                default -> skip((int) (key & 7));
            }
        }
        return v;
    }

    private long varint() {
        long result = 0;
        int shift = 0;
        while (true) {
            byte b = buf[pos++];
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
            shift += 7;
        }
    }

    private long fixed(int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v |= (long) (buf[pos++] & 0xff) << (8 * i);
        }
        return v;
    }

    private MvtReader sub() {
        int length = (int) varint();
        MvtReader r = new MvtReader(buf, pos, pos + length);
        pos += length;
        return r;
    }

    private String string() {
        return new String(buf, pos, end - pos, StandardCharsets.UTF_8);
    }

    private void skip(int wireType) {
        switch (wireType) {
            case 0 -> varint();
            case 1 -> pos += 8;
            case 2 -> {
                int length = (int) varint(); // read before adding: pos += varint() would add to the old pos
                pos += length;
            }
            case 5 -> pos += 4;
            default -> throw new IllegalStateException("wire type " + wireType);
        }
    }
}
