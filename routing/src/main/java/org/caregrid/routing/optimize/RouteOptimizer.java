package org.caregrid.routing.optimize;

/**
 * Plans delivery routes and visit tours. Behind an interface so another solver can replace OR-Tools.
 * Implementations are thread-safe.
 */
public interface RouteOptimizer {

    /**
     * Assigns requests to volunteers and orders their stops: pickup at the pharmacy before the delivery, by the
     * same volunteer; capacity, windows, shifts and stop limits respected; urgent requests kept first and served
     * early. Requests that cannot be served come back with a reason.
     */
    DeliveryPlan planDeliveries(DeliveryProblem problem, SolverLimits limits);

    /** Orders one worker's visits into a tour from and back to the office, within their windows and the workday. */
    VisitTour planVisitTour(VisitTourProblem problem, SolverLimits limits);
}
