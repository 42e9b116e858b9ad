package org.openstreetmap.osmosis.osmbinary;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;

/**
 * Stands in for osmosis-osm-binary's generated {@code Fileformat} (protobuf 3 gencode that a current protobuf runtime
 * reports as vulnerable, GHSA-h4h5-3hr4-j3g2), which GraphHopper's PBF reader links against; that jar is excluded
 * from the build. Only the methods GraphHopper 11 calls are here, and they delegate to osmpbf's classes, generated
 * from the same .proto by a current protoc. See docs/security.md.
 */
public final class Fileformat {

    private Fileformat() {
    }

    public static final class BlobHeader {
        private final crosby.binary.Fileformat.BlobHeader header;

        private BlobHeader(crosby.binary.Fileformat.BlobHeader header) {
            this.header = header;
        }

        public static BlobHeader parseFrom(byte[] data) throws InvalidProtocolBufferException {
            return new BlobHeader(crosby.binary.Fileformat.BlobHeader.parseFrom(data));
        }

        public String getType() {
            return header.getType();
        }

        public int getDatasize() {
            return header.getDatasize();
        }
    }

    public static final class Blob {
        private final crosby.binary.Fileformat.Blob blob;

        private Blob(crosby.binary.Fileformat.Blob blob) {
            this.blob = blob;
        }

        public static Blob parseFrom(byte[] data) throws InvalidProtocolBufferException {
            return new Blob(crosby.binary.Fileformat.Blob.parseFrom(data));
        }

        public boolean hasRaw() {
            return blob.hasRaw();
        }

        public ByteString getRaw() {
            return blob.getRaw();
        }

        public int getRawSize() {
            return blob.getRawSize();
        }

        public boolean hasZlibData() {
            return blob.hasZlibData();
        }

        public ByteString getZlibData() {
            return blob.getZlibData();
        }
    }
}
