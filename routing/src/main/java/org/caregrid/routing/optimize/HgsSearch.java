package org.caregrid.routing.optimize;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * One hybrid genetic search (Vidal 2022; Wouda, Lan and Kool 2024): a population of solutions in two
 * subpopulations (feasible, infeasible); parents by binary tournament on biased fitness (cost rank plus diversity
 * rank, diversity being the broken-pairs distance to the closest others); order crossover on giant tours; split;
 * local search under adaptive penalties; half of the infeasible children repaired with ten times the penalties;
 * survivors chosen by biased fitness, clones first out; a restart when the best has not improved for a long time.
 * Single-threaded and deterministic for a seed: the only source of chance is its own {@link Random}.
 */
final class HgsSearch {
    private static final int MIN_POPULATION = 25;
    private static final int GENERATION = 40;
    private static final int ELITE = 4;
    private static final int CLOSEST = 5;
    private static final double TARGET_FEASIBLE = 0.43;
    private static final int PENALTY_PERIOD = 100;
    private static final int RESTART_AFTER = 20_000;
    private static final double REPAIR_SHARE = 0.5;
    private static final double REPAIR_FACTOR = 10;

    private final HgsProblem p;
    private final Random random;
    private final HgsSplit split;
    private final HgsLocalSearch localSearch;
    private final HgsPenalties penalties;
    private final long deadline;
    private final long maxIterations;
    private final BooleanSupplier cancelled;
    private final List<HgsSolution> feasible = new ArrayList<>();
    private final List<HgsSolution> infeasible = new ArrayList<>();
    private final List<Boolean> loadFeasible = new ArrayList<>();
    private final List<Boolean> warpFeasible = new ArrayList<>();
    private HgsSolution best;
    private HgsSolution bestInfeasible;
    private long iterations;

    HgsSearch(HgsProblem p, long seed, long deadlineNanos, long maxIterations, BooleanSupplier cancelled) {
        this.p = p;
        this.random = new Random(seed);
        this.split = new HgsSplit(p);
        this.localSearch = new HgsLocalSearch(p, random);
        this.penalties = initialPenalties(p);
        this.deadline = deadlineNanos;
        this.maxIterations = maxIterations;
        this.cancelled = cancelled;
    }

    long iterations() {
        return iterations;
    }

    /** Runs until the deadline, the iteration limit or cancellation; the best feasible solution, else the least bad. */
    HgsSolution run() {
        initialPopulation();
        long sinceImprovement = 0;
        while (!mustStop()) {
            iterations++;
            HgsSolution child = educate(crossover(select(), select()));
            double before = best == null ? Double.POSITIVE_INFINITY : best.objective;
            addWithRepair(child);
            sinceImprovement = best != null && best.objective < before - 1e-9 ? 0 : sinceImprovement + 1;
            if (iterations % PENALTY_PERIOD == 0) {
                adaptPenalties();
            }
            if (sinceImprovement >= RESTART_AFTER) {
                feasible.clear();
                infeasible.clear();
                initialPopulation();
                sinceImprovement = 0;
            }
        }
        return best != null ? best : bestInfeasible;
    }

    private boolean mustStop() {
        return (maxIterations > 0 && iterations >= maxIterations) || System.nanoTime() >= deadline
                || cancelled.getAsBoolean();
    }

    private static HgsPenalties initialPenalties(HgsProblem p) {
        long maxCost = 1;
        long maxTime = 1;
        long maxDemand = 1;
        for (int v = 0; v < p.vehicles; v++) {
            long[][] c = p.cost[p.profileOf[v]];
            long[][] t = p.time[p.profileOf[v]];
            for (int i = 0; i < p.nodes; i++) {
                for (int j = 0; j < p.nodes; j++) {
                    if (c[i][j] < HgsProblem.NO_ROUTE) {
                        maxCost = Math.max(maxCost, c[i][j]);
                        maxTime = Math.max(maxTime, t[i][j]);
                    }
                }
            }
        }
        for (int i = 0; i < p.visits; i++) {
            maxDemand = Math.max(maxDemand, p.startLoad[i] + Math.abs(p.loadChange[i]));
        }
        double load = Math.max(0.1, Math.min(1000, (double) maxCost / maxDemand));
        double warp = Math.max(0.1, Math.min(1000, (double) maxCost / maxTime));
        return new HgsPenalties(load, warp);
    }

    private void initialPopulation() {
        for (int i = 0; i < 4 * MIN_POPULATION && (i == 0 || !mustStop()); i++) {
            int[] tour = new int[p.visits];
            for (int k = 0; k < tour.length; k++) {
                tour[k] = k;
            }
            for (int k = tour.length - 1; k > 0; k--) {
                int j = random.nextInt(k + 1);
                int t = tour[k];
                tour[k] = tour[j];
                tour[j] = t;
            }
            addWithRepair(educate(pickupsFirst(tour)));
        }
    }

    private HgsSolution educate(int[] tour) {
        int[][] routes = localSearch.improve(split.split(tour, penalties), penalties);
        HgsSolution solution = new HgsSolution(p, routes, penalties);
        loadFeasible.add(solution.loadExcess == 0);
        warpFeasible.add(solution.timeWarp == 0);
        return solution;
    }

    private void addWithRepair(HgsSolution solution) {
        add(solution);
        if (!solution.feasible && random.nextDouble() < REPAIR_SHARE) {
            HgsPenalties strict = penalties.times(REPAIR_FACTOR);
            HgsSolution repaired = new HgsSolution(p, localSearch.improve(solution.routes, strict), penalties);
            if (repaired.feasible) {
                add(repaired);
            }
        }
    }

    private void add(HgsSolution solution) {
        if (solution.feasible) {
            if (best == null || solution.objective < best.objective - 1e-9) {
                best = solution;
            }
        } else if (bestInfeasible == null || solution.penalisedCost < bestInfeasible.penalisedCost) {
            bestInfeasible = solution;
        }
        List<HgsSolution> group = solution.feasible ? feasible : infeasible;
        for (HgsSolution other : group) {
            double distance = solution.brokenPairsDistance(other);
            insertSorted(other.closest, new HgsSolution.Neighbour(distance, solution));
            insertSorted(solution.closest, new HgsSolution.Neighbour(distance, other));
        }
        int at = 0;
        while (at < group.size() && group.get(at).penalisedCost <= solution.penalisedCost) {
            at++;
        }
        group.add(at, solution);
        if (group.size() > MIN_POPULATION + GENERATION) {
            while (group.size() > MIN_POPULATION) {
                remove(group, worst(group));
            }
        }
    }

    private static void insertSorted(List<HgsSolution.Neighbour> list, HgsSolution.Neighbour n) {
        int at = list.size();
        while (at > 0 && list.get(at - 1).distance() > n.distance()) {
            at--;
        }
        list.add(at, n);
    }

    private static void remove(List<HgsSolution> group, HgsSolution gone) {
        group.remove(gone);
        for (HgsSolution other : group) {
            other.closest.removeIf(n -> n.other() == gone);
        }
    }

    /** The member to drop: a clone if there is one, else the worst biased fitness. */
    private HgsSolution worst(List<HgsSolution> group) {
        updateBiasedFitness(group);
        HgsSolution worst = null;
        boolean worstIsClone = false;
        for (HgsSolution s : group) {
            boolean clone = !s.closest.isEmpty() && s.closest.get(0).distance() < 1e-9;
            if (worst == null || (clone && !worstIsClone)
                    || (clone == worstIsClone && s.biasedFitness > worst.biasedFitness)) {
                worst = s;
                worstIsClone = clone;
            }
        }
        return worst;
    }

    /** Rank by cost (the group is sorted by it) plus, weighted by how many are not elite, rank by diversity. */
    private static void updateBiasedFitness(List<HgsSolution> group) {
        int size = group.size();
        if (size == 1) {
            group.get(0).biasedFitness = 0;
            return;
        }
        List<Integer> byDiversity = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            byDiversity.add(i);
        }
        double[] diversity = new double[size];
        for (int i = 0; i < size; i++) {
            diversity[i] = group.get(i).averageDistanceToClosest(CLOSEST);
        }
        byDiversity.sort(Comparator.comparingDouble((Integer i) -> -diversity[i]).thenComparingInt(i -> i));
        for (int rank = 0; rank < size; rank++) {
            int index = byDiversity.get(rank);
            double diversityRank = rank / (double) (size - 1);
            double costRank = index / (double) (size - 1);
            group.get(index).biasedFitness = size <= ELITE ? costRank
                    : costRank + (1 - ELITE / (double) size) * diversityRank;
        }
    }

    private HgsSolution select() {
        updateBiasedFitness(feasible);
        updateBiasedFitness(infeasible);
        HgsSolution a = pick();
        HgsSolution b = pick();
        return a.biasedFitness <= b.biasedFitness ? a : b;
    }

    private HgsSolution pick() {
        int total = feasible.size() + infeasible.size();
        int i = random.nextInt(total);
        return i < feasible.size() ? feasible.get(i) : infeasible.get(i - feasible.size());
    }

    /**
     * Order crossover: a slice of the first parent's giant tour in place, the rest in the second parent's order.
     * Visits both parents leave out stay out; pairs are then put back in pickup-first order.
     */
    private int[] crossover(HgsSolution first, HgsSolution second) {
        int[] a = first.giantTour();
        int[] b = second.giantTour();
        int n = a.length;
        int[] child = new int[n];
        boolean[] taken = new boolean[p.visits];
        int start = random.nextInt(n);
        int end = random.nextInt(n);
        while (n > 1 && end == start) {
            end = random.nextInt(n);
        }
        for (int i = start; i != end; i = (i + 1) % n) {
            child[i] = a[i];
            taken[a[i]] = true;
        }
        int fill = end;
        for (int k = 0; k < n; k++) {
            int visit = b[(end + k) % n];
            if (!taken[visit]) {
                child[fill] = visit;
                taken[visit] = true;
                fill = (fill + 1) % n;
            }
        }
        if (n == 1) {
            child[0] = a[0];
        }
        int kept = 0;
        for (int visit : child) {
            if (first.served[visit] || second.served[visit]) {
                child[kept++] = visit;
            }
        }
        int[] tour = new int[kept];
        System.arraycopy(child, 0, tour, 0, kept);
        return pickupsFirst(tour);
    }

    /** Swaps each pair whose delivery comes before its pickup in the tour. */
    private int[] pickupsFirst(int[] tour) {
        if (!p.hasPairs) {
            return tour;
        }
        int[] position = new int[p.visits];
        for (int i = 0; i < tour.length; i++) {
            position[tour[i]] = i;
        }
        for (int i = 0; i < tour.length; i++) {
            int visit = tour[i];
            int partner = p.pairOf[visit];
            if (partner >= 0 && !p.isPickup[visit] && position[partner] > i) {
                int j = position[partner];
                tour[i] = partner;
                tour[j] = visit;
                position[partner] = i;
                position[visit] = j;
            }
        }
        return tour;
    }

    private void adaptPenalties() {
        penalties.load = HgsPenalties.adapted(penalties.load, share(loadFeasible), TARGET_FEASIBLE);
        penalties.warp = HgsPenalties.adapted(penalties.warp, share(warpFeasible), TARGET_FEASIBLE);
        loadFeasible.clear();
        warpFeasible.clear();
        for (HgsSolution s : infeasible) {
            s.reprice(penalties);
        }
        infeasible.sort(Comparator.comparingDouble(s -> s.penalisedCost));
    }

    private static double share(List<Boolean> flags) {
        if (flags.isEmpty()) {
            return TARGET_FEASIBLE;
        }
        return flags.stream().filter(b -> b).count() / (double) flags.size();
    }
}
