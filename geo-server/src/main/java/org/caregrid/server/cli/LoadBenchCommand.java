package org.caregrid.server.cli;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.caregrid.server.config.MachineLoad;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code caregrid bench load}: N users at once against a running server (the demo, by default on this machine),
 * each logged in once with the form as a browser is, then opening their screen's calls over and over for a fixed
 * time: planners the coverage summary and a map view of buildings ({@code /api/buildings} in a random box of the
 * district), grid workers their grid's visits and buildings, dispatchers the delivery requests and volunteers. Prints
 * answers per second, p50, p95 and the slowest answer per endpoint, the errors, and the machine's load before and
 * after (a server on the same machine shares its cores with this client).
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "N users (planners by default; --mix for grid workers and dispatchers) at once against a running "
                + "server; answers/s, p50, p95, errors per endpoint and the machine's load.")
public class LoadBenchCommand implements Callable<Integer> {

    @Option(names = "--url", description = "the server (default http://localhost:$CAREGRID_PORT, port 8080)")
    String url;

    @Option(names = "--users", defaultValue = "20", description = "simulated users at once (default ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--seconds", defaultValue = "30", description = "how long they work (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--mix", defaultValue = "planner:1", description = "accounts and their shares of the users, e.g. "
            + "planner:5,gridworker:4,dispatcher:1; each account's role decides what its users open: planner (coverage "
            + "summary, buildings), gridworker (visits due in the grid, buildings), dispatcher (delivery requests, "
            + "volunteers) (default ${DEFAULT-VALUE})")
    String mix;

    @Option(names = "--password", description = "the accounts' password (default $CAREGRID_BENCH_PASSWORD, or demo)")
    String password;

    @Option(names = "--view", defaultValue = "0.01", description = "width of a map view in degrees (default ${DEFAULT-VALUE})")
    double view;

    @Option(names = "--seed", defaultValue = "1", description = "random seed of the map views (default ${DEFAULT-VALUE})")
    long seed;

    /** What a user of each demo account opens, over and over: a planner's, a grid worker's, a dispatcher's screen. */
    private static final Map<String, List<String>> SCREENS = Map.of(
            "planner", List.of("/api/coverage/summary", "/api/buildings"),
            "gridworker", List.of("/api/coverage/visits?status=all&size=2000", "/api/buildings"),
            "dispatcher", List.of("/api/dispatch/requests", "/api/dispatch/volunteers"));

    @Override
    public Integer call() throws Exception {
        String base = url != null ? url : "http://localhost:" + System.getenv().getOrDefault("CAREGRID_PORT", "8080");
        String secret = password != null ? password : System.getenv().getOrDefault("CAREGRID_BENCH_PASSWORD", "demo");
        List<String> accounts = accounts(mix, users);
        System.out.printf(Locale.ROOT, "%d users (%s) against %s for %d s; machine load before: %s%n",
                users, mix, base, seconds, MachineLoad.now());

        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            clients.add(logIn(base, accounts.get(i), secret));
        }
        // each account's map views fall inside what it sees
        Map<String, double[]> extents = new java.util.HashMap<>();
        for (int i = 0; i < users; i++) {
            if (!extents.containsKey(accounts.get(i))) {
                double[] e = extent(clients.get(i), base);
                extents.put(accounts.get(i), e);
                System.out.printf(Locale.ROOT, "%s sees %.4f,%.4f,%.4f,%.4f%n", accounts.get(i), e[0], e[1], e[2], e[3]);
            }
        }
        System.out.printf(Locale.ROOT, "logged in %d sessions%n", users);

        List<String> endpoints = accounts.stream().distinct().flatMap(a -> SCREENS.get(a).stream()).distinct().toList();
        Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
        endpoints.forEach(e -> {
            latencies.put(e, Collections.synchronizedList(new ArrayList<>()));
            errors.put(e, new AtomicInteger());
        });
        ExecutorService pool = Executors.newFixedThreadPool(users);
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(seconds).toNanos();
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            HttpClient client = clients.get(i);
            List<String> screen = SCREENS.get(accounts.get(i));
            double[] extent = extents.get(accounts.get(i));
            Random random = new Random(seed + i);
            running.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    for (String endpoint : screen) {
                        String uri = endpoint.equals("/api/buildings") ? endpoint + "?bbox=" + box(extent, random) : endpoint;
                        long t0 = System.nanoTime();
                        int status;
                        try {
                            status = client.send(get(base + uri), HttpResponse.BodyHandlers.discarding()).statusCode();
                        } catch (Exception e) {
                            status = -1;
                        }
                        long ms = (System.nanoTime() - t0) / 1_000_000;
                        if (status == 200) {
                            latencies.get(endpoint).add(ms);
                        } else {
                            errors.get(endpoint).incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        double elapsed = (System.nanoTime() - start) / 1e9;
        String loadAfter = MachineLoad.now();

        int total = 0;
        int totalErrors = 0;
        StringBuilder summary = new StringBuilder();
        for (String endpoint : endpoints) {
            List<Long> times = new ArrayList<>(latencies.get(endpoint));
            Collections.sort(times);
            int failed = errors.get(endpoint).get();
            total += times.size();
            totalErrors += failed;
            System.out.printf(Locale.ROOT, "%-42s %6d answers %7.1f/s  p50 %6d ms  p95 %6d ms  max %6d ms  errors %d%n",
                    endpoint, times.size(), times.size() / elapsed, percentile(times, 50), percentile(times, 95),
                    times.isEmpty() ? 0 : times.get(times.size() - 1), failed);
            String path = endpoint.replaceAll("\\?.*", "");
            String name = path.substring(path.lastIndexOf('/') + 1);
            summary.append(String.format(Locale.ROOT, " %s=%.1f/s,p50=%dms,p95=%dms", name, times.size() / elapsed,
                    percentile(times, 50), percentile(times, 95)));
        }
        System.out.printf(Locale.ROOT, "all: %d answers in %.1f s, %.1f/s, %d errors; machine load after: %s%n",
                total, elapsed, total / elapsed, totalErrors, loadAfter);
        System.out.printf(Locale.ROOT, "SUMMARY users=%d seconds=%.0f answers/s=%.1f errors=%d%s load=%s%n",
                users, elapsed, total / elapsed, totalErrors, summary, loadAfter.split(" ")[0]);
        return totalErrors == 0 ? 0 : 1;
    }

    /** The account of each user: {@code planner:5,gridworker:4,dispatcher:1} spread over the users in those shares. */
    static List<String> accounts(String mix, int users) {
        Map<String, Integer> shares = new java.util.LinkedHashMap<>();
        for (String part : mix.split(",")) {
            String[] pair = part.trim().split(":");
            if (!SCREENS.containsKey(pair[0])) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new LoadBenchCommand()),
                        "--mix: unknown account " + pair[0] + "; known: " + SCREENS.keySet());
            }
            shares.put(pair[0], pair.length > 1 ? Integer.parseInt(pair[1]) : 1);
        }
        int total = shares.values().stream().mapToInt(Integer::intValue).sum();
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            // user i takes the account whose cumulative share first exceeds i's place in the cycle
            int place = i % total;
            for (Map.Entry<String, Integer> share : shares.entrySet()) {
                if (place < share.getValue()) {
                    accounts.add(share.getKey());
                    break;
                }
                place -= share.getValue();
            }
        }
        return accounts;
    }

    private static HttpRequest get(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofMinutes(2)).header("Accept", "application/json").GET().build();
    }

    /** A browser's log-in: the page for the CSRF cookie, then the form; the session cookie stays in the client. */
    static HttpClient logIn(String base, String user, String password) throws Exception {
        CookieManager cookies = new CookieManager();
        HttpClient client = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
        client.send(get(base + "/login"), HttpResponse.BodyHandlers.discarding());
        String csrf = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
                .map(HttpCookie::getValue).findFirst().orElseThrow(() -> new IllegalStateException("no CSRF cookie from /login"));
        String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8);
        HttpResponse<Void> answer = client.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.discarding());
        String location = answer.headers().firstValue("Location").orElse("");
        if (answer.statusCode() != 302 || location.contains("error")) {
            throw new IllegalStateException("log-in as " + user + " failed: " + answer.statusCode() + " " + location);
        }
        return client;
    }

    /** The extent of the grids the account sees: minLon, minLat, maxLon, maxLat. */
    private static double[] extent(HttpClient client, String base) throws Exception {
        String body = client.send(get(base + "/api/grids"), HttpResponse.BodyHandlers.ofString()).body();
        double[] extent = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        collect(JsonMapper.builder().build().readTree(body), extent);
        if (extent[0] > extent[2]) {
            throw new IllegalStateException("the account sees no grid with a boundary");
        }
        return extent;
    }

    private static void collect(JsonNode node, double[] extent) {
        if (node.isArray() && node.size() >= 2 && node.get(0).isNumber() && node.get(1).isNumber()) {
            double lon = node.get(0).asDouble();
            double lat = node.get(1).asDouble();
            extent[0] = Math.min(extent[0], lon);
            extent[1] = Math.min(extent[1], lat);
            extent[2] = Math.max(extent[2], lon);
            extent[3] = Math.max(extent[3], lat);
            return;
        }
        for (JsonNode child : node) {
            collect(child, extent);
        }
    }

    /** A map view of {@code view} degrees wide (3:4) at a random place of the extent. */
    private String box(double[] extent, Random random) {
        double width = Math.min(view, extent[2] - extent[0]);
        double height = Math.min(view * 0.75, extent[3] - extent[1]);
        double lon = extent[0] + random.nextDouble() * (extent[2] - extent[0] - width);
        double lat = extent[1] + random.nextDouble() * (extent[3] - extent[1] - height);
        return String.format(Locale.ROOT, "%.5f,%.5f,%.5f,%.5f", lon, lat, lon + width, lat + height);
    }

    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
