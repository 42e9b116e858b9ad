/**
 * Medicine-delivery plans and visit tours: {@link org.caregrid.routing.optimize.RouteOptimizer}, implemented on
 * OR-Tools by {@link org.caregrid.routing.optimize.OrToolsRouteOptimizer}. Costs come in as matrices per travel
 * profile, so the optimiser knows nothing about maps.
 */
package org.caregrid.routing.optimize;
