package org.caregrid.server.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.caregrid.server.security.BearerTokens;

/**
 * Grid workers writing through the HTTP API while something else is measured: each works in their own grid (the
 * grids with the most key persons), with a token of their own, and records visits to the grid's key persons and,
 * every fourth write, appoints one of the grid's residents as a key person's responsible person (包保). Each write
 * is one request, answered when its transaction (validation, access policy, history, coverage upkeep) has committed.
 */
final class ApiWriters {

    static final String USERNAME_PREFIX = "bench-writer-";

    /** What the writers did: milliseconds per answered write, the failures, and the appointments to take back. */
    record Outcome(List<Double> visits, List<Double> appointments, int failures, String firstFailure,
                   List<Long> appointmentIds, double seconds) {

        double writesPerSecond() {
            return (visits.size() + appointments.size()) / seconds;
        }

        List<Double> all() {
            List<Double> all = new ArrayList<>(visits);
            all.addAll(appointments);
            return all;
        }
    }

    /** One grid worker: their token and their grid's key persons and residents. */
    private record Writer(String token, List<Long> keyPersons, List<Long> residents) {
    }

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    private final List<Writer> writers;

    private ApiWriters(List<Writer> writers) {
        this.writers = writers;
    }

    /** Makes {@code count} grid workers (users and tokens) in the grids with the most key persons; commits. */
    static ApiWriters prepare(Connection owner, int count) throws SQLException {
        List<Writer> writers = new ArrayList<>();
        List<Long> grids = longs(owner, """
                SELECT p.grid_id FROM key_person k JOIN person p ON p.id = k.person_id
                 WHERE p.grid_id IS NOT NULL AND p.closed_on IS NULL
                 GROUP BY p.grid_id ORDER BY count(*) DESC, p.grid_id LIMIT ?""", count);
        for (int w = 0; w < grids.size(); w++) {
            long grid = grids.get(w);
            String token = BearerTokens.newToken();
            try (PreparedStatement user = owner.prepareStatement("""
                    INSERT INTO app_user (username, display_name, password_hash, roles, scope_grid_id)
                    VALUES (?, ?, '!', ARRAY['GRID_WORKER'], ?)
                    ON CONFLICT (username) DO UPDATE SET scope_grid_id = EXCLUDED.scope_grid_id RETURNING id""")) {
                user.setString(1, USERNAME_PREFIX + w);
                user.setString(2, "压测网格员 " + w);
                user.setLong(3, grid);
                try (ResultSet rs = user.executeQuery()) {
                    rs.next();
                    try (PreparedStatement insert = owner.prepareStatement(
                            "INSERT INTO api_token (user_id, name, token_hash) VALUES (?, 'bench coverage', ?)")) {
                        insert.setLong(1, rs.getLong(1));
                        insert.setBytes(2, BearerTokens.hash(token));
                        insert.executeUpdate();
                    }
                }
            }
            writers.add(new Writer(token,
                    longs(owner, "SELECT k.person_id FROM key_person k JOIN person p ON p.id = k.person_id "
                            + "WHERE p.grid_id = ? AND p.closed_on IS NULL ORDER BY k.person_id", grid),
                    longs(owner, "SELECT p.id FROM person p WHERE p.grid_id = ? AND p.closed_on IS NULL "
                            + "ORDER BY p.id LIMIT 2000", grid)));
        }
        owner.commit();
        return new ApiWriters(writers);
    }

    int size() {
        return writers.size();
    }

    /** Runs the writers against {@code baseUrl} until {@code meanwhile} returns. */
    Outcome whileRunning(String baseUrl, Callable<?> meanwhile) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        List<Double> visits = Collections.synchronizedList(new ArrayList<>());
        List<Double> appointments = Collections.synchronizedList(new ArrayList<>());
        List<Long> appointmentIds = Collections.synchronizedList(new ArrayList<>());
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(writers.size());
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < writers.size(); w++) {
            Writer writer = writers.get(w);
            Random random = new Random(w);
            running.add(pool.submit(() -> {
                for (int n = 0; !stop.get(); n++) {
                    long keyPerson = writer.keyPersons().get(random.nextInt(writer.keyPersons().size()));
                    boolean appoint = n % 4 == 3;
                    String body = appoint
                            ? String.format(Locale.ROOT, "{\"role\":\"responsible\",\"personId\":%d,\"keyPersonId\":%d,"
                                    + "\"reason\":\"bench coverage\"}",
                                    writer.residents().get(random.nextInt(writer.residents().size())), keyPerson)
                            : String.format(Locale.ROOT, "{\"keyPersonId\":%d,\"method\":\"door\"}", keyPerson);
                    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + (appoint ? "/api/assignments" : "/api/visits")))
                            .timeout(Duration.ofMinutes(2))
                            .header("Authorization", "Bearer " + writer.token())
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    long start = System.nanoTime();
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    double millis = (System.nanoTime() - start) / 1e6;
                    if (response.statusCode() / 100 != 2) {
                        failures.add(response.statusCode() + " " + request.uri().getPath() + " " + body + ": " + response.body());
                    } else if (appoint) {
                        appointments.add(millis);
                        Matcher id = ID.matcher(response.body());
                        if (id.find()) {
                            appointmentIds.add(Long.parseLong(id.group(1)));
                        }
                    } else {
                        visits.add(millis);
                    }
                }
                return null;
            }));
        }
        long started = System.nanoTime();
        try {
            meanwhile.call();
        } finally {
            stop.set(true);
            for (Future<?> future : running) {
                future.get();
            }
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Outcome(new ArrayList<>(visits), new ArrayList<>(appointments), failures.size(),
                failures.isEmpty() ? null : failures.get(0), new ArrayList<>(appointmentIds), seconds);
    }

    /**
     * Takes back what the writers wrote, so that --reuse finds the district as loaded (visits and assignments are
     * never deleted in use; this is a benchmark's scratch database).
     */
    static void takeBack(Connection owner, Outcome outcome) throws SQLException {
        try (PreparedStatement visits = owner.prepareStatement("DELETE FROM visit WHERE recorded_by LIKE ?");
             PreparedStatement appointed = owner.prepareStatement("DELETE FROM role_assignment WHERE id = ANY (?)")) {
            visits.setString(1, USERNAME_PREFIX + "%");
            visits.executeUpdate();
            appointed.setArray(1, owner.createArrayOf("bigint", outcome.appointmentIds().toArray()));
            appointed.executeUpdate();
        }
        owner.commit();
    }

    private static List<Long> longs(Connection c, String sql, long parameter) throws SQLException {
        List<Long> values = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, parameter);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getLong(1));
                }
            }
        }
        return values;
    }
}
