package org.openstreetmap.osmosis.osmbinary;

import java.util.List;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ProtocolStringList;

/**
 * Stands in for osmosis-osm-binary's generated {@code Osmformat} for GraphHopper's PBF reader (see {@link Fileformat}
 * for why): the methods GraphHopper 11 calls, delegating to osmpbf's current gencode of the same .proto.
 */
public final class Osmformat {

    private Osmformat() {
    }

    public static final class HeaderBlock {
        private final crosby.binary.Osmformat.HeaderBlock header;

        private HeaderBlock(crosby.binary.Osmformat.HeaderBlock header) {
            this.header = header;
        }

        public static HeaderBlock parseFrom(byte[] data) throws InvalidProtocolBufferException {
            return new HeaderBlock(crosby.binary.Osmformat.HeaderBlock.parseFrom(data));
        }

        public ProtocolStringList getRequiredFeaturesList() {
            return header.getRequiredFeaturesList();
        }

        public long getOsmosisReplicationTimestamp() {
            return header.getOsmosisReplicationTimestamp();
        }
    }

    public static final class PrimitiveBlock {
        private final crosby.binary.Osmformat.PrimitiveBlock block;

        private PrimitiveBlock(crosby.binary.Osmformat.PrimitiveBlock block) {
            this.block = block;
        }

        public static PrimitiveBlock parseFrom(byte[] data) throws InvalidProtocolBufferException {
            return new PrimitiveBlock(crosby.binary.Osmformat.PrimitiveBlock.parseFrom(data));
        }

        public StringTable getStringtable() {
            return new StringTable(block.getStringtable());
        }

        public List<PrimitiveGroup> getPrimitivegroupList() {
            return block.getPrimitivegroupList().stream().map(PrimitiveGroup::new).toList();
        }

        public int getGranularity() {
            return block.getGranularity();
        }

        public long getLatOffset() {
            return block.getLatOffset();
        }

        public long getLonOffset() {
            return block.getLonOffset();
        }

        public int getDateGranularity() {
            return block.getDateGranularity();
        }
    }

    public static final class StringTable {
        private final crosby.binary.Osmformat.StringTable table;

        private StringTable(crosby.binary.Osmformat.StringTable table) {
            this.table = table;
        }

        public ByteString getS(int index) {
            return table.getS(index);
        }

        public int getSCount() {
            return table.getSCount();
        }
    }

    public static final class PrimitiveGroup {
        private final crosby.binary.Osmformat.PrimitiveGroup group;

        private PrimitiveGroup(crosby.binary.Osmformat.PrimitiveGroup group) {
            this.group = group;
        }

        public List<Node> getNodesList() {
            return group.getNodesList().stream().map(Node::new).toList();
        }

        public DenseNodes getDense() {
            return new DenseNodes(group.getDense());
        }

        public List<Way> getWaysList() {
            return group.getWaysList().stream().map(Way::new).toList();
        }

        public List<Relation> getRelationsList() {
            return group.getRelationsList().stream().map(Relation::new).toList();
        }
    }

    public static final class Node {
        private final crosby.binary.Osmformat.Node node;

        private Node(crosby.binary.Osmformat.Node node) {
            this.node = node;
        }

        public long getId() {
            return node.getId();
        }

        public List<Integer> getKeysList() {
            return node.getKeysList();
        }

        public List<Integer> getValsList() {
            return node.getValsList();
        }

        public long getLat() {
            return node.getLat();
        }

        public long getLon() {
            return node.getLon();
        }
    }

    public static final class DenseNodes {
        private final crosby.binary.Osmformat.DenseNodes dense;

        private DenseNodes(crosby.binary.Osmformat.DenseNodes dense) {
            this.dense = dense;
        }

        public List<Long> getIdList() {
            return dense.getIdList();
        }

        public List<Long> getLatList() {
            return dense.getLatList();
        }

        public List<Long> getLonList() {
            return dense.getLonList();
        }

        public List<Integer> getKeysValsList() {
            return dense.getKeysValsList();
        }
    }

    public static final class Way {
        private final crosby.binary.Osmformat.Way way;

        private Way(crosby.binary.Osmformat.Way way) {
            this.way = way;
        }

        public long getId() {
            return way.getId();
        }

        public List<Integer> getKeysList() {
            return way.getKeysList();
        }

        public List<Integer> getValsList() {
            return way.getValsList();
        }

        public List<Long> getRefsList() {
            return way.getRefsList();
        }
    }

    public static final class Relation {
        /** The member types, in the .proto's order. */
        public enum MemberType { NODE, WAY, RELATION }

        private final crosby.binary.Osmformat.Relation relation;

        private Relation(crosby.binary.Osmformat.Relation relation) {
            this.relation = relation;
        }

        public long getId() {
            return relation.getId();
        }

        public List<Integer> getKeysList() {
            return relation.getKeysList();
        }

        public List<Integer> getValsList() {
            return relation.getValsList();
        }

        public List<Long> getMemidsList() {
            return relation.getMemidsList();
        }

        public List<Integer> getRolesSidList() {
            return relation.getRolesSidList();
        }

        public List<MemberType> getTypesList() {
            return relation.getTypesList().stream().map(t -> MemberType.values()[t.getNumber()]).toList();
        }
    }
}
