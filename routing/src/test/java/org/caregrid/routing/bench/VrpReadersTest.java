package org.caregrid.routing.bench;

import org.caregrid.routing.SharedData;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class VrpReadersTest {

    @Test
    void readsACvrplibInstance() throws IOException {
        CvrpInstance p16 = CvrpInstance.read(SharedData.file("vrp/cvrp/P-n16-k8.vrp"));
        assertThat(p16.name()).isEqualTo("P-n16-k8");
        assertThat(p16.dimension()).isEqualTo(16);
        assertThat(p16.capacity()).isEqualTo(35);
        assertThat(p16.depot()).isZero();
        assertThat(p16.minVehicles()).hasValue(8);
        assertThat(p16.customers()).hasSize(15);
        assertThat(p16.demand()[0]).isZero();
        // Node 1 (30,40) to node 2 (37,52): sqrt(49 + 144) = 13.89 → 14.
        assertThat(p16.distance(0, 1)).isEqualTo(14);
        assertThat(BestKnown.cost(SharedData.file("vrp/cvrp/P-n16-k8.sol"))).isEqualTo(450);
    }

    @Test
    void readsTabSeparatedUchoaInstances() throws IOException {
        CvrpInstance x101 = CvrpInstance.read(SharedData.file("vrp/cvrp/X-n101-k25.vrp"));
        assertThat(x101.dimension()).isEqualTo(101);
        assertThat(x101.capacity()).isEqualTo(206);
        assertThat(x101.minVehicles()).hasValue(25);
    }

    @Test
    void readsASolomonInstance() throws IOException {
        SolomonInstance c101 = SolomonInstance.read(SharedData.file("vrp/vrptw/C101.txt"));
        assertThat(c101.name()).isEqualTo("C101");
        assertThat(c101.dimension()).isEqualTo(101);
        assertThat(c101.vehicles()).isEqualTo(25);
        assertThat(c101.capacity()).isEqualTo(200);
        assertThat(c101.due()[0]).isEqualTo(1236);
        assertThat(c101.ready()[1]).isEqualTo(912);
        assertThat(c101.service()[1]).isEqualTo(90);
        assertThat(BestKnown.cost(SharedData.file("vrp/vrptw/C101.sol"))).isCloseTo(827.3, within(1e-9));
    }

    @Test
    void solomonDistancesAreCutToOneDecimalAsTheBestKnownCostsAre() throws IOException {
        SolomonInstance c101 = SolomonInstance.read(SharedData.file("vrp/vrptw/C101.txt"));
        // Depot (40,50) to customer 1 (45,68): sqrt(25 + 324) = 18.68 → 18.6, never rounded up to 18.7.
        assertThat(c101.truncatedDistance(0, 1, 10)).isEqualTo(186);
        // Customer 1 (45,68) to customer 2 (45,70): exactly 2.0 stays 2.0.
        assertThat(c101.truncatedDistance(1, 2, 10)).isEqualTo(20);
    }
}
