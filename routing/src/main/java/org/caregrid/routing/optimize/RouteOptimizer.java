package org.caregrid.routing.optimize;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plans delivery routes and visit tours. Two implementations: {@link HgsRouteOptimizer} (hybrid genetic search,
 * the default) and {@link OrToolsRouteOptimizer}. Implementations are thread-safe.
 */
public interface RouteOptimizer {

    /**
     * Assigns requests to volunteers and orders their stops: pickup at the pharmacy before the delivery, by the
     * same volunteer; capacity, windows, shifts, stop limits and pinned requests respected; urgent requests kept
     * first and served early. Requests that cannot be served come back with a reason.
     */
    DeliveryPlan planDeliveries(DeliveryProblem problem, SolverLimits limits);

    /** Orders one worker's visits into a tour from and back to the office, within their windows and the workday. */
    default VisitTour planVisitTour(VisitTourProblem problem, SolverLimits limits) {
        // A tour is a delivery plan with one volunteer, no pharmacies and zero-demand stops.
        List<DeliveryRequest> requests = problem.visits().stream()
                .map(v -> new DeliveryRequest(v.id(), v.location(), 0, v.window(), v.serviceSeconds(), v.overdue(),
                        Optional.empty()))
                .toList();
        Volunteer worker = new Volunteer(problem.workerId(), problem.officeLocation(), problem.officeLocation(), 0,
                problem.workday(), "tour", 0);
        DeliveryPlan plan = planDeliveries(new DeliveryProblem(requests, List.of(), List.of(worker),
                Map.of("tour", problem.costs())), limits);
        VolunteerRoute route = plan.routes().isEmpty()
                ? new VolunteerRoute(worker.id(), List.of(), 0, 0)
                : plan.routes().get(0);
        List<PlannedStop> stops = route.stops().stream()
                .map(s -> s.kind() == StopKind.DELIVERY
                        ? new PlannedStop(StopKind.VISIT, s.requestId(), null, s.location(), s.arrival(), 0) : s)
                .toList();
        return new VisitTour(new VolunteerRoute(route.volunteerId(), stops, route.cost(), route.durationSeconds()),
                plan.unserved());
    }
}
