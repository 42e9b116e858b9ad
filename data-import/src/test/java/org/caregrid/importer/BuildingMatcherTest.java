package org.caregrid.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Polygon;

class BuildingMatcherTest {

    private static Building building(String id, String code, String name, String compound) {
        Polygon square = Geometries.WGS84.createPolygon(Geometries.point(104.06, 30.64).buffer(0.0001)
                .getCoordinates());
        return new Building(id, "test", name, code, square, null, 6, 24, false, null,
                new Address(null, null, null, null, compound, null));
    }

    private final BuildingMatcher matcher = new BuildingMatcher(List.of(
            building("B1", "YL-03", "玉林小区3栋", "玉林小区"),
            building("B2", "FC-03", "3号楼", "芳草苑"),
            building("B3", "FC-12", "芳草苑12栋", "芳草苑")));

    @Test
    void matchesByIdCodeAndTheWaysLedgersWriteBuildingNames() {
        assertThat(matcher.match("B2", null).building().externalId()).isEqualTo("B2");
        assertThat(matcher.match("fc-12", null).building().externalId()).isEqualTo("B3");
        assertThat(matcher.match("玉林小区3号楼", null).building().externalId()).isEqualTo("B1");
        assertThat(matcher.match("三栋", "玉林小区").building().externalId()).isEqualTo("B1");
        assertThat(matcher.match("３幢", "芳草苑").building().externalId()).isEqualTo("B2");
        assertThat(matcher.match("十二栋", "芳草苑").building().externalId()).isEqualTo("B3");
    }

    @Test
    void ambiguousAndUnknownBuildingsAreExplained() {
        BuildingMatcher twoThrees = new BuildingMatcher(List.of(building("A", null, "3栋", "甲小区"),
                building("B", null, "3栋", "乙小区")));
        BuildingMatcher.Match ambiguous = twoThrees.match("3栋", null);
        assertThat(ambiguous.found()).isFalse();
        assertThat(ambiguous.problem()).contains("2 buildings").contains("小区");
        assertThat(twoThrees.match("3号楼", "乙小区").building().externalId()).isEqualTo("B");
        assertThat(matcher.match("99栋", "玉林小区").problem()).contains("no building '99栋' in 玉林小区");
    }
}
