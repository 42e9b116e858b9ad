package org.caregrid.server.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.caregrid.server.imports.AutoGrids.Site;
import org.junit.jupiter.api.Test;

/** The household-weighted split of one block, on hand-built blocks whose answer is known exactly. */
class AutoGridsTest {

    /** n buildings of the given households each, in a row from west to east. */
    private static List<Site> row(int n, long households) {
        List<Site> sites = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sites.add(new Site(116.0 + i * 0.0005, 39.9, households));
        }
        return sites;
    }

    private static List<Long> households(List<List<Site>> parts) {
        return parts.stream().map(AutoGrids::sum).toList();
    }

    @Test
    void aRowOf600IsCutInTheMiddle() {
        List<Site> sites = row(12, 50);
        List<List<Site>> parts = AutoGrids.partition(sites);
        assertThat(households(parts)).containsExactly(300L, 300L);
        assertThat(parts.get(0)).containsExactlyElementsOf(sites.subList(0, 6)); // the western half
    }

    @Test
    void thousandHouseholdsMakeThreeGridsCutAtTheSumsNearestAThird() {
        // k = round(1000 / 400) = 3; first cut nearest 333 that leaves 600–1000 for two grids: 300 | 700;
        // then 700 nearest 350: 300 | 400
        assertThat(households(AutoGrids.partition(row(10, 100)))).containsExactly(300L, 300L, 400L);
    }

    @Test
    void aBlockIsCutAlongItsLongerAxis() {
        List<Site> column = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            column.add(new Site(116.0 + (i % 2) * 0.0001, 39.9 + i * 0.001, 100));
        }
        List<List<Site>> parts = AutoGrids.partition(column);
        assertThat(households(parts)).containsExactly(400L, 400L);
        assertThat(parts.get(0)).allMatch(s -> s.y() < 39.9035); // the southern four
    }

    @Test
    void blocksThatCannotBeSplitStayOneGrid() {
        assertThat(households(AutoGrids.partition(row(5, 50)))).containsExactly(250L);
        assertThat(households(AutoGrids.partition(row(11, 50)))).containsExactly(550L); // 2 × 275 would miss too
        assertThat(households(AutoGrids.partition(row(1, 0)))).containsExactly(0L);
    }

    @Test
    void arterialsAreTheMainRoadsAndRailwaysAboveGround() {
        assertThat(AutoGrids.arterial(java.util.Map.of("highway", "tertiary"))).isTrue();
        assertThat(AutoGrids.arterial(java.util.Map.of("railway", "rail", "tunnel", "no"))).isTrue();
        assertThat(AutoGrids.arterial(java.util.Map.of("highway", "primary", "tunnel", "yes"))).isFalse();
        assertThat(AutoGrids.arterial(java.util.Map.of("highway", "residential"))).isFalse();
        assertThat(AutoGrids.arterial(java.util.Map.of("building", "yes"))).isFalse();
    }

    @Test
    void aBigBuildingThatForbidsAGoodCutStillGivesACompletePartition() {
        List<Site> sites = List.of(new Site(116.0, 39.9, 450), new Site(116.001, 39.9, 450), new Site(116.002, 39.9, 100));
        List<List<Site>> parts = AutoGrids.partition(sites);
        assertThat(households(parts)).containsExactly(450L, 450L, 100L);
        assertThat(parts.stream().mapToInt(List::size).sum()).isEqualTo(3);
    }
}
