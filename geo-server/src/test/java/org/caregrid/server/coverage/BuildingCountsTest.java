package org.caregrid.server.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.caregrid.server.coverage.BuildingCounts.Counted;
import org.caregrid.server.coverage.BuildingCounts.Tally;
import org.junit.jupiter.api.Test;

/** The order of a list of buildings behind a figure, whichever way it is sorted. */
class BuildingCountsTest {

    @Test
    void aBuildingInTwoPlacesIsAddedUpAndTheWorstComeFirstThenTheMostItemsThenTheLowestId() {
        List<Tally> tallies = List.of(new Tally(7, 3, 3), new Tally(5, 4, 1), new Tally(9, 2, 0), new Tally(5, 1, 1),
                new Tally(8, 5, 2), new Tally(3, 1, 1), new Tally(4, 3, 3));
        BuildingCounts.Sorted sorted = BuildingCounts.sorted(tallies);
        // 5: 5 items, 3 gaps (two places); 8: 5 items, 3 gaps; 9: 2 gaps; then no gaps: 7 and 4 (3 items), 3 (1 item)
        assertThat(sorted.all()).containsExactly(new Counted(5, 5, 2), new Counted(8, 5, 2), new Counted(9, 2, 0),
                new Counted(4, 3, 3), new Counted(7, 3, 3), new Counted(3, 1, 1));
        assertThat(sorted.withGaps()).isEqualTo(3);
        assertThat(sorted.listed(DrillDown.Status.GAP)).extracting(Counted::buildingId).containsExactly(5L, 8L, 9L);
        assertThat(sorted.listed(DrillDown.Status.OK)).extracting(Counted::buildingId).containsExactly(4L, 7L, 3L);
        assertThat(sorted.listed(DrillDown.Status.ALL)).hasSize(6);
        assertThat(BuildingCounts.byComparator(tallies)).isEqualTo(sorted);
    }

    @Test
    void thePrimitiveSortGivesTheComparatorsOrderOnAHundredThousandBuildings() {
        Random random = new Random(15);
        List<Tally> tallies = new ArrayList<>();
        for (int i = 0; i < 130_000; i++) {
            // few distinct counts, so most buildings tie on them and the id decides; a tenth lie in two places
            long items = 1 + random.nextInt(6);
            long id = 1 + random.nextInt(120_000);
            tallies.add(new Tally(id, items, random.nextInt((int) items + 1)));
        }
        BuildingCounts.Sorted sorted = BuildingCounts.sorted(tallies);
        assertThat(sorted).isEqualTo(BuildingCounts.byComparator(tallies));
        assertThat(sorted.all()).isSortedAccordingTo(BuildingCounts.WORST_FIRST);
        assertThat(sorted.all().get(sorted.withGaps() - 1).gaps()).isPositive();
        assertThat(sorted.all().get(sorted.withGaps()).gaps()).isZero();
    }

    @Test
    void idsAndCountsPastTheKeysBitsAreSortedByTheComparator() {
        long hugeId = 1L << 50;
        List<Tally> tallies = List.of(new Tally(hugeId, 2, 1), new Tally(12, 2, 1), new Tally(11, 3_000_000, 0),
                new Tally(13, 2, 2));
        assertThat(BuildingCounts.sorted(tallies).all()).containsExactly(new Counted(11, 3_000_000, 0),
                new Counted(12, 2, 1), new Counted(hugeId, 2, 1), new Counted(13, 2, 2));
    }
}
