package org.caregrid.routing.optimize;

/** Every case of {@link RouteOptimizerTest}, solved by the hybrid genetic search. */
class HgsRouteOptimizerContractTest extends RouteOptimizerTest {
    @Override
    RouteOptimizer optimizer() {
        return new HgsRouteOptimizer();
    }
}
