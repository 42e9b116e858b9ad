package org.caregrid.server.dispatch;

import org.caregrid.routing.optimize.HgsRouteOptimizer;
import org.caregrid.routing.optimize.OrToolsRouteOptimizer;
import org.caregrid.routing.optimize.RouteOptimizer;
import org.caregrid.server.routing.RoutingProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The route optimiser of dispatch and visit tours, chosen by {@code caregrid.routing.optimizer}. */
@Configuration(proxyBeanMethods = false)
class RouteOptimizerConfiguration {

    @Bean
    RouteOptimizer routeOptimizer(RoutingProperties routing) {
        return routing.optimizer().equals("ortools") ? new OrToolsRouteOptimizer() : new HgsRouteOptimizer();
    }
}
