package org.caregrid.server.ogc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.caregrid.server.imports.ImportJobs;
import org.caregrid.server.support.Fixtures;
import org.caregrid.server.support.MvtReader;
import org.caregrid.server.support.ServerTest;
import org.caregrid.server.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * OGC API – Features and vector tiles on the two-grid fixture, one test per requirement: landing page,
 * conformance, collections and extents, paging, bbox, feature ids, CRS, formats, the OpenAPI document,
 * scoping and tiles. Grid A (id 1) holds buildings 1 and 2, grid B (id 2) building 3; building 1 has a head.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "caregrid.mode=test")
class OgcApiTest extends ServerTest {

    private static final String CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
    private static final String EPSG_4326 = "http://www.opengis.net/def/crs/EPSG/0/4326";
    private static final String EPSG_4490 = "http://www.opengis.net/def/crs/EPSG/0/4490";
    private static final String EPSG_3857 = "http://www.opengis.net/def/crs/EPSG/0/3857";
    /** The zoom-14 tile that holds the whole fixture street (104.00–104.02 E, 30.00–30.01 N). */
    private static final String STREET_TILE = "/tiles/WebMercatorQuad/14/6759/12925";

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TileCache tileCache;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry, "ogc_api");
    }

    @BeforeAll
    void loadFixture() {
        Fixtures.load(dataSource, "fixtures/two-grids.sql");
        Fixtures.load(dataSource, "fixtures/ogc.sql");
        user("admin", "ADMIN", null, null, null);
        user("planner", "PLANNER", "510104020000", null, null);
        user("worker_a", "GRID_WORKER", null, 1L, null);
        user("volunteer", "VOLUNTEER", "510104020000", null, 3L);
    }

    @BeforeEach
    void patientClient() {
        // the machine is shared: never the default 5 s
        client = client.mutate().responseTimeout(Duration.ofSeconds(120)).build();
    }

    private Map<String, Object> json(String user, String uri) {
        return get(user, uri).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> doc, String key) {
        return (List<Map<String, Object>>) doc.get(key);
    }

    private static List<Object> ids(Map<String, Object> collection) {
        return list(collection, "features").stream().map(f -> f.get("id")).toList();
    }

    private static Map<String, Object> linkWithRel(Map<String, Object> doc, String rel) {
        return list(doc, "links").stream().filter(l -> rel.equals(l.get("rel"))).findFirst().orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static List<Number> coordinates(Map<String, Object> feature) {
        return (List<Number>) ((Map<String, Object>) feature.get("geometry")).get("coordinates");
    }

    private String path(String href) {
        return href.substring(("http://localhost:" + port).length());
    }

    @Test
    void everyOgcCallNeedsALogInAndAnswers401() {
        for (String uri : List.of("/ogc", "/ogc/collections", "/ogc/collections/buildings/items",
                "/ogc/collections/buildings" + STREET_TILE)) {
            client.get().uri(uri).accept(MediaType.TEXT_HTML).exchange().expectStatus().isUnauthorized();
        }
    }

    @Test
    void landingPageLinksToItselfTheApiTheConformanceAndTheData() {
        Map<String, Object> landing = json("planner", "/ogc");
        assertThat(list(landing, "links")).extracting(l -> l.get("rel"))
                .contains("self", "alternate", "service-desc", "service-doc", "conformance", "data");
        assertThat(linkWithRel(landing, "service-desc").get("href")).isEqualTo("http://localhost:" + port + "/ogc/api");
        assertThat(linkWithRel(landing, "service-desc").get("type")).isEqualTo("application/vnd.oai.openapi+json;version=3.0");
        assertThat(linkWithRel(landing, "data").get("href")).isEqualTo("http://localhost:" + port + "/ogc/collections");
    }

    @Test
    void conformanceListsCoreGeoJsonHtmlOpenApiAndCrs() {
        @SuppressWarnings("unchecked")
        List<String> classes = (List<String>) json("planner", "/ogc/conformance").get("conformsTo");
        assertThat(classes).contains(
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
                "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs");
    }

    @Test
    void collectionsCarryTheirExtentInTheCallersScopeAndTheirCrs() {
        Map<String, Object> all = json("admin", "/ogc/collections");
        assertThat(list(all, "collections")).extracting(c -> c.get("id")).containsExactly("admin-areas", "grids",
                "compounds", "buildings", "units", "facilities", "road-edges", "key-person-buildings", "visits", "assignments", "coverage");
        Map<String, Object> buildings = json("admin", "/ogc/collections/buildings");
        assertThat(buildings.get("extent")).isEqualTo(Map.of("spatial", Map.of("crs", CRS84,
                "bbox", List.of(List.of(104.0015, 30.002, 104.015, 30.005)))));
        assertThat(buildings.get("crs")).isEqualTo(List.of(CRS84, EPSG_4326, EPSG_4490, EPSG_3857));
        assertThat(buildings.get("storageCrs")).isEqualTo(CRS84);
        assertThat(list(buildings, "links")).extracting(l -> l.get("rel") + " " + l.get("type"))
                .contains("self application/json", "alternate text/html", "items application/geo+json", "items text/html");
        // grid worker A: only the buildings of grid A make the extent
        Map<String, Object> own = json("worker_a", "/ogc/collections/buildings");
        assertThat(own.get("extent")).isEqualTo(Map.of("spatial", Map.of("crs", CRS84,
                "bbox", List.of(List.of(104.0015, 30.002, 104.004, 30.004)))));
    }

    @Test
    void itemsArePagedWithLimitAndNextLinks() {
        Map<String, Object> first = json("admin", "/ogc/collections/buildings/items?limit=2");
        assertThat(first.get("type")).isEqualTo("FeatureCollection");
        assertThat(first.get("numberMatched")).isEqualTo(3);
        assertThat(first.get("numberReturned")).isEqualTo(2);
        assertThat(ids(first)).containsExactly(1, 2);
        String next = (String) linkWithRel(first, "next").get("href");
        assertThat(next).contains("offset=2").contains("limit=2");
        Map<String, Object> second = json("admin", path(next));
        assertThat(ids(second)).containsExactly(3);
        assertThat(second.get("numberMatched")).isEqualTo(3);
        assertThat(linkWithRel(second, "next")).isNull();
        assertThat(linkWithRel(second, "prev").get("href")).asString().contains("offset=0");
        // the default page holds all three; a limit above the maximum is served as the maximum
        assertThat(ids(json("admin", "/ogc/collections/buildings/items"))).containsExactly(1, 2, 3);
        assertThat(ids(json("admin", "/ogc/collections/buildings/items?limit=50000"))).containsExactly(1, 2, 3);
    }

    @Test
    void wrongParametersAre400InWords() {
        Map<String, String> fieldOfQuery = new LinkedHashMap<>();
        fieldOfQuery.put("limit=0", "limit");
        fieldOfQuery.put("limit=ten", "limit");
        fieldOfQuery.put("offset=-1", "offset");
        fieldOfQuery.put("bbox=1,2,3", "bbox");
        fieldOfQuery.put("bbox=104.02,30,104.0,30.01", "bbox");
        fieldOfQuery.put("colour=red", "colour");
        fieldOfQuery.put("crs=EPSG:9999", "crs");
        fieldOfQuery.put("f=xml", "f");
        fieldOfQuery.put("bbox-crs=" + EPSG_4326, "bbox-crs");
        fieldOfQuery.forEach((query, field) -> {
            Map<String, Object> problem = get("admin", "/ogc/collections/buildings/items?" + query).exchange()
                    .expectStatus().isBadRequest()
                    .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
            assertThat(firstField(problem)).as(query).isEqualTo(field);
        });
        Map<String, Object> english = client.get().uri("/ogc/collections/buildings/items?colour=red").headers(h -> {
            h.setBasicAuth("admin", Fixtures.PASSWORD);
            h.set(HttpHeaders.ACCEPT_LANGUAGE, "en");
        }).exchange().expectStatus().isBadRequest()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        assertThat(english.toString()).contains("Unknown parameter \"colour\"").contains("grid_id");
    }

    @Test
    void bboxSelectsTheFeaturesItTouchesInAnyOfferedCrs() {
        Map<String, Object> east = json("admin", "/ogc/collections/buildings/items?bbox=104.01,30.0,104.02,30.01");
        assertThat(ids(east)).containsExactly(3);
        assertThat(east.get("numberMatched")).isEqualTo(1);
        // EPSG:4326 is latitude first
        assertThat(ids(json("admin", "/ogc/collections/buildings/items?bbox=30.0,104.01,30.01,104.02&bbox-crs="
                + EPSG_4326))).containsExactly(3);
        // the same box in Web Mercator metres
        assertThat(ids(json("admin", "/ogc/collections/buildings/items?bbox=11578340,3503549,11579453,3504836&bbox-crs="
                + EPSG_3857))).containsExactly(3);
    }

    @Test
    void propertyFiltersUseTheQueryables() {
        assertThat(ids(json("admin", "/ogc/collections/buildings/items?grid_id=1"))).containsExactly(1, 2);
        assertThat(ids(json("admin", "/ogc/collections/buildings/items?has_building_head=true"))).containsExactly(1);
        assertThat(ids(json("admin", "/ogc/collections/facilities/items?kind=pharmacy"))).containsExactly(1, 3);
    }

    @Test
    void aFeatureHasItsIdItsPropertiesAndItsLinks() {
        Map<String, Object> b1 = json("planner", "/ogc/collections/buildings/items/1");
        assertThat(b1.get("type")).isEqualTo("Feature");
        assertThat(b1.get("id")).isEqualTo(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) b1.get("properties");
        assertThat(properties).containsEntry("name", "A1栋").containsEntry("units", 2).containsEntry("households", 20)
                .containsEntry("has_building_head", true).containsEntry("compound_id", 1);
        assertThat(list(b1, "links")).extracting(l -> l.get("rel")).contains("self", "alternate", "collection");
        // the head of building 3 left office yesterday
        assertThat(json("planner", "/ogc/collections/buildings/items/3").get("properties"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("has_building_head", false);
        Map<String, Object> area = json("planner", "/ogc/collections/admin-areas/items/510104020001");
        assertThat(area.get("id")).isEqualTo("510104020001");
        get("planner", "/ogc/collections/buildings/items/999").exchange().expectStatus().isNotFound();
        get("planner", "/ogc/collections/buildings/items/abc").exchange().expectStatus().isNotFound();
        get("planner", "/ogc/collections/nothing/items").exchange().expectStatus().isNotFound();
    }

    @Test
    void crsTransformsTheGeometriesAndSaysSoInContentCrs() {
        String b2 = "/ogc/collections/buildings/items/2";
        get("admin", b2).exchange().expectHeader().valueEquals("Content-Crs", "<" + CRS84 + ">");
        assertThat(coordinates(json("admin", b2))).containsExactly(104.004, 30.004);
        get("admin", b2 + "?crs=" + EPSG_4326).exchange().expectHeader().valueEquals("Content-Crs", "<" + EPSG_4326 + ">");
        assertThat(coordinates(json("admin", b2 + "?crs=" + EPSG_4326))).containsExactly(30.004, 104.004);
        assertThat(coordinates(json("admin", b2 + "?crs=" + EPSG_4490))).containsExactly(30.004, 104.004);
        // Web Mercator: x = R·λ, y = R·ln tan(π/4 + φ/2), R = 6378137 m
        List<Number> mercator = coordinates(json("admin", b2 + "?crs=" + EPSG_3857));
        assertThat(mercator.get(0).doubleValue()).isCloseTo(11577672.32, within(0.005));
        assertThat(mercator.get(1).doubleValue()).isCloseTo(3504064.02, within(0.005));
        double r = 6378137;
        assertThat(mercator.get(0).doubleValue()).isCloseTo(r * Math.toRadians(104.004), within(0.01));
        assertThat(mercator.get(1).doubleValue()).isCloseTo(r * Math.log(Math.tan(Math.PI / 4 + Math.toRadians(30.004) / 2)),
                within(0.01));
        get("admin", "/ogc/collections/buildings/items?crs=" + EPSG_3857).exchange()
                .expectHeader().valueEquals("Content-Crs", "<" + EPSG_3857 + ">");
    }

    @Test
    void jsonOrHtmlByTheFormatParameterOrTheAcceptHeader() {
        get("planner", "/ogc").accept(MediaType.TEXT_HTML).exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).value(html -> assertThat(html).contains("<html").contains("rel=\"service-desc\""));
        get("planner", "/ogc?f=json").accept(MediaType.TEXT_HTML).exchange()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON);
        get("planner", "/ogc/collections/buildings/items").accept(MediaType.parseMediaType("application/geo+json"))
                .exchange().expectHeader().contentTypeCompatibleWith(MediaType.parseMediaType("application/geo+json"));
        get("planner", "/ogc/collections/buildings/items?f=html").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).value(html -> assertThat(html).contains("A1栋").contains("B1栋")
                        .contains("3 of 3 features"));
        // names are escaped in pages
        get("planner", "/ogc/collections/collections?f=html").exchange().expectStatus().isNotFound();
        for (String uri : List.of("/ogc/conformance", "/ogc/collections", "/ogc/collections/grids",
                "/ogc/collections/grids/items/1", "/ogc/api")) {
            get("planner", uri + "?f=html").exchange().expectStatus().isOk()
                    .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOpenApiDocumentDescribesEveryPath() {
        WebTestClient.ResponseSpec response = get("planner", "/ogc/api").exchange();
        response.expectHeader().contentType("application/vnd.oai.openapi+json;version=3.0");
        Map<String, Object> api = response.expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
        assertThat(api.get("openapi")).isEqualTo("3.0.3");
        assertThat(((Map<String, Object>) api.get("paths")).keySet()).contains("/", "/conformance", "/api", "/collections",
                "/collections/{collectionId}", "/collections/{collectionId}/items",
                "/collections/{collectionId}/items/{featureId}");
        Map<String, Object> parameters = (Map<String, Object>) ((Map<String, Object>) api.get("components")).get("parameters");
        assertThat(parameters).containsKeys("bbox", "limit", "offset", "crs", "bbox-crs", "f");
    }

    @Test
    void aGridWorkerNeitherSeesNorCountsTheOtherGrid() {
        Map<String, Object> own = json("worker_a", "/ogc/collections/buildings/items");
        assertThat(ids(own)).containsExactly(1, 2);
        assertThat(own.get("numberMatched")).isEqualTo(2);
        get("worker_a", "/ogc/collections/buildings/items/3").exchange().expectStatus().isNotFound();
        assertThat(json("worker_a", "/ogc/collections/buildings/items?bbox=104.01,30.0,104.02,30.01").get("numberMatched"))
                .isEqualTo(0);
        assertThat(ids(json("worker_a", "/ogc/collections/grids/items"))).containsExactly(1);
        assertThat(ids(json("worker_a", "/ogc/collections/units/items"))).containsExactly(1, 2);
        // facilities are no personal data: those of the grid's whole community
        assertThat(ids(json("worker_a", "/ogc/collections/facilities/items"))).containsExactly(1);
        assertThat(ids(json("worker_a", "/ogc/collections/admin-areas/items"))).containsExactly("510104020001");
    }

    @Test
    @SuppressWarnings("unchecked")
    void keyPersonsAreCountedPerBuildingNeverListed() {
        Map<String, Object> counts = json("planner", "/ogc/collections/key-person-buildings/items");
        assertThat(ids(counts)).containsExactly(1, 2, 3);
        Map<String, Object> b1 = (Map<String, Object>) list(counts, "features").get(0).get("properties");
        assertThat(b1).containsEntry("key_persons", 1).containsEntry("high_risk", 1).containsEntry("without_responsible", 0);
        Map<String, Object> b2 = (Map<String, Object>) list(counts, "features").get(1).get("properties");
        assertThat(b2).containsEntry("key_persons", 1).containsEntry("high_risk", 0).containsEntry("without_responsible", 1);
        assertThat(counts.toString()).doesNotContain("张秀英").doesNotContain("13812345678");
        // a volunteer has no aggregates: the collection does not exist for them
        get("volunteer", "/ogc/collections/key-person-buildings/items").exchange().expectStatus().isNotFound();
        get("volunteer", "/ogc/collections/key-person-buildings").exchange().expectStatus().isNotFound();
        assertThat(list(json("volunteer", "/ogc/collections"), "collections")).extracting(c -> c.get("id"))
                .doesNotContain("key-person-buildings", "visits", "coverage");
    }

    @Test
    @SuppressWarnings("unchecked")
    void visitsAreCountedPerBuildingAndBeijingDayAndFilteredByDatetime() {
        Map<String, Object> all = json("planner", "/ogc/collections/visits/items");
        assertThat(ids(all)).containsExactlyInAnyOrder("1-20261120", "1-20261125", "3-20261125");
        Map<String, Object> twentieth = json("planner", "/ogc/collections/visits/items/1-20261120");
        assertThat((Map<String, Object>) twentieth.get("properties")).containsEntry("day", "2026-11-20")
                .containsEntry("visits", 2).containsEntry("door_visits", 1).containsEntry("key_persons_visited", 1)
                .containsEntry("building_id", 1);
        assertThat(all.toString()).doesNotContain("张秀英").doesNotContain("13812345678");

        Map<String, Object> day = json("planner", "/ogc/collections/visits/items?datetime=2026-11-25");
        assertThat(ids(day)).containsExactlyInAnyOrder("1-20261125", "3-20261125");
        assertThat(day.get("numberMatched")).isEqualTo(2);
        // 17:00 UTC on the 24th is 01:00 on the 25th in Beijing
        assertThat(ids(json("planner", "/ogc/collections/visits/items?datetime=2026-11-24T17:00:00Z")))
                .containsExactlyInAnyOrder("1-20261125", "3-20261125");
        assertThat(ids(json("planner", "/ogc/collections/visits/items?datetime=../2026-11-24"))).containsExactly("1-20261120");
        assertThat(ids(json("planner", "/ogc/collections/visits/items?datetime=2026-11-21/.."))).hasSize(2);
        assertThat(ids(json("planner", "/ogc/collections/visits/items?datetime=2026-11-21/2026-11-24"))).isEmpty();
        // a collection without time ignores datetime
        assertThat(ids(json("planner", "/ogc/collections/buildings/items?datetime=2026-11-25"))).containsExactly(1, 2, 3);
        for (String bad : List.of("yesterday", "2026-11-25/2026-11-20", "..", "2026-11-20/2026-11-21/2026-11-22")) {
            Map<String, Object> problem = get("planner", "/ogc/collections/visits/items?datetime=" + bad).exchange()
                    .expectStatus().isBadRequest()
                    .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
            assertThat(firstField(problem)).as(bad).isEqualTo("datetime");
        }

        // the collection says which days it holds; a grid worker's holds only their grid's buildings
        Map<String, Object> collection = json("planner", "/ogc/collections/visits");
        assertThat(((Map<String, Object>) collection.get("extent")).get("temporal")).isEqualTo(Map.of(
                "interval", List.of(List.of("2026-11-20T00:00:00+08:00", "2026-11-25T23:59:59+08:00")),
                "trs", "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"));
        assertThat(ids(json("worker_a", "/ogc/collections/visits/items"))).containsExactlyInAnyOrder("1-20261120", "1-20261125");
        get("volunteer", "/ogc/collections/visits/items").exchange().expectStatus().isNotFound();
    }

    @Test
    @SuppressWarnings("unchecked")
    void headsTermsOfOfficeAreFeaturesFilteredByTheDaysTheyOverlap() {
        // the fixture dates terms from the database's today: building 1's and unit 1's heads since ten days,
        // building 3's head until yesterday; the 包保 responsible persons are never features. (Building 2's head
        // comes and goes in anAppointmentShowsInTheNextTile…: fixtureTerms leaves it out.)
        java.time.LocalDate today = jdbc.sql("SELECT current_date").query(java.time.LocalDate.class).single();
        Map<String, Object> all = json("planner", "/ogc/collections/assignments/items");
        assertThat(fixtureTerms(all)).containsExactlyInAnyOrder(3, 4, 5);
        assertThat(all.toString()).doesNotContain("张秀英").doesNotContain("13812345678").doesNotContain("responsible");
        Map<String, Object> unitHead = (Map<String, Object>) json("planner", "/ogc/collections/assignments/items/5").get("properties");
        assertThat(unitHead).containsEntry("role", "unit_head").containsEntry("building_id", 1).containsEntry("unit_id", 1)
                .containsEntry("unit", "1单元").containsEntry("valid_from", today.minusDays(10).toString())
                .containsEntry("valid_to", null).containsEntry("grid_id", 1);

        assertThat(fixtureTerms(json("planner", "/ogc/collections/assignments/items?datetime=" + today))).containsExactlyInAnyOrder(3, 5);
        assertThat(fixtureTerms(json("planner", "/ogc/collections/assignments/items?datetime=" + today.minusDays(1))))
                .containsExactlyInAnyOrder(3, 4, 5);
        assertThat(fixtureTerms(json("planner", "/ogc/collections/assignments/items?datetime=../" + today.minusDays(11)))).isEmpty();
        assertThat(fixtureTerms(json("planner", "/ogc/collections/assignments/items?datetime=" + today + "&role=building_head")))
                .containsExactly(3);

        // terms still running leave the temporal extent open at its end
        Map<String, Object> collection = json("planner", "/ogc/collections/assignments");
        assertThat(((Map<String, Object>) collection.get("extent")).get("temporal")).isEqualTo(Map.of(
                "interval", List.of(java.util.Arrays.asList(today.minusDays(10) + "T00:00:00+08:00", null)),
                "trs", "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"));
        assertThat(fixtureTerms(json("worker_a", "/ogc/collections/assignments/items"))).containsExactlyInAnyOrder(3, 5);
        get("volunteer", "/ogc/collections/assignments/items").exchange().expectStatus().isNotFound();
    }

    @Test
    @SuppressWarnings("unchecked")
    void coverageIsOneFeaturePerPlaceWithEveryMetric() {
        Map<String, Object> coverage = json("planner", "/ogc/collections/coverage/items?limit=100");
        assertThat(ids(coverage)).containsExactlyInAnyOrder("street-510104020000", "community-510104020001",
                "community-510104020002", "grid-1", "grid-2");
        Map<String, Object> communityA = json("planner", "/ogc/collections/coverage/items/community-510104020001");
        Map<String, Object> p = (Map<String, Object>) communityA.get("properties");
        // buildings 1 and 2; building 1 has a head in office
        assertThat(p).containsEntry("level", "community").containsEntry("building_heads_total", 2)
                .containsEntry("building_heads_gaps", 1).containsEntry("building_heads_rate", 0.5)
                .containsEntry("building_heads_target", 1.0)
                .containsEntry("unit_heads_total", 2).containsEntry("unit_heads_gaps", 1);
        assertThat(coordinates(communityA)).isNotEmpty();
        // grid worker A: their grid and its community, nothing of grid B
        assertThat(ids(json("worker_a", "/ogc/collections/coverage/items"))).containsExactlyInAnyOrder(
                "community-510104020001", "grid-1");
    }

    /** The ids of the features of an answer, but those at building 2, whose head another test appoints. */
    @SuppressWarnings("unchecked")
    private static List<Object> fixtureTerms(Map<String, Object> answer) {
        return list(answer, "features").stream()
                .filter(f -> !Integer.valueOf(2).equals(((Map<String, Object>) f.get("properties")).get("building_id")))
                .map(f -> f.get("id")).toList();
    }

    private Object buildingHead(long buildingId) {
        byte[] tile = get("admin", "/ogc/collections/buildings" + STREET_TILE).exchange().expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
        return MvtReader.layers(tile).get("buildings").features().stream().filter(f -> f.id() == buildingId)
                .findFirst().orElseThrow().attributes().get("has_building_head");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAppointmentShowsInTheNextTileAndCoverageRowNotAfterTheCachesTimeToLive() {
        Map<String, Object> coverageBefore = (Map<String, Object>) json("planner",
                "/ogc/collections/coverage/items/community-510104020001").get("properties");
        assertThat(buildingHead(2)).isEqualTo(false);
        // building 2 gets a head (since five days, so that ending it yesterday leaves the fixture as it was)
        LocalDate today = LocalDate.now(java.time.ZoneId.of("Asia/Shanghai"));
        Map<String, Object> appointed = send("admin", HttpMethod.POST, "/api/assignments",
                "{\"role\":\"building_head\",\"personId\":3,\"buildingId\":2,\"validFrom\":\"" + today.minusDays(5) + "\"}",
                null, 201);
        try {
            assertThat(buildingHead(2)).isEqualTo(true);
            Map<String, Object> coverageAfter = (Map<String, Object>) json("planner",
                    "/ogc/collections/coverage/items/community-510104020001").get("properties");
            assertThat(((Number) coverageAfter.get("building_heads_gaps")).intValue())
                    .isEqualTo(((Number) coverageBefore.get("building_heads_gaps")).intValue() - 1);
        } finally {
            send("admin", HttpMethod.PATCH, "/api/assignments/" + appointed.get("id"),
                    "{\"validTo\":\"" + today.minusDays(1) + "\"}", null, 200);
        }
        assertThat(buildingHead(2)).isEqualTo(false);
    }

    @Test
    void tilesHoldTheScopedFeaturesWithTheirAttributes() {
        byte[] tile = get("admin", "/ogc/collections/buildings" + STREET_TILE).exchange().expectStatus().isOk()
                .expectHeader().contentType("application/vnd.mapbox-vector-tile")
                .expectHeader().value("Cache-Control", c -> assertThat(c).contains("private"))
                .expectBody(byte[].class).returnResult().getResponseBody();
        MvtReader.Layer layer = MvtReader.layers(tile).get("buildings");
        assertThat(layer.features()).extracting(MvtReader.Feature::id).containsExactlyInAnyOrder(1L, 2L, 3L);
        MvtReader.Feature b1 = layer.features().stream().filter(f -> f.id() == 1L).findFirst().orElseThrow();
        assertThat(b1.attributes()).containsEntry("name", "A1栋").containsEntry("has_building_head", true)
                .containsEntry("households", 20L);
        assertThat(b1.type()).isEqualTo(3); // polygon: the footprint

        byte[] own = get("worker_a", "/ogc/collections/buildings" + STREET_TILE).exchange().expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(MvtReader.layers(own).get("buildings").features()).extracting(MvtReader.Feature::id)
                .containsExactlyInAnyOrder(1L, 2L);
        // text ids travel as an attribute
        byte[] areas = get("admin", "/ogc/collections/admin-areas" + STREET_TILE).exchange().expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(MvtReader.layers(areas).get("admin-areas").features()).extracting(f -> f.attributes().get("id"))
                .containsExactlyInAnyOrder("510104020000", "510104020001", "510104020002");
        // a tile far away is empty; a tile outside the matrix does not exist
        byte[] empty = get("admin", "/ogc/collections/buildings/tiles/WebMercatorQuad/14/0/0").exchange()
                .expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(empty == null ? 0 : empty.length).isZero();
        get("admin", "/ogc/collections/buildings/tiles/WebMercatorQuad/2/4/0").exchange().expectStatus().isNotFound();
    }

    @Test
    void aTileIsRevalidatedByItsEtagAndMadeAgainAfterAWriteInsideIt() {
        String uri = "/ogc/collections/facilities" + STREET_TILE;
        String etag = get("admin", uri).exchange().expectStatus().isOk().returnResult(byte[].class)
                .getResponseHeaders().getETag();
        assertThat(etag).startsWith("\"");
        get("admin", uri).header("If-None-Match", etag).exchange().expectStatus().isNotModified();

        jdbc.sql("INSERT INTO facility (id, kind, name, area_code, grid_id, location) OVERRIDING SYSTEM VALUE VALUES "
                + "(50, 'clinic', '新诊所', '510104020001', 1, ST_SetSRID(ST_MakePoint(104.005, 30.005), 4326))").update();
        try {
            // a write by any hand (here psql's) inside the tile: the cached tile is not served again
            byte[] fresh = get("admin", uri).header("If-None-Match", etag).exchange().expectStatus().isOk()
                    .expectBody(byte[].class).returnResult().getResponseBody();
            assertThat(MvtReader.layers(fresh).get("facilities").features()).hasSize(4);
            // an import that ends empties the cache as well
            events.publishEvent(new ImportJobs.Finished(1, true));
            assertThat(tileCache.size()).isZero();
        } finally {
            jdbc.sql("DELETE FROM facility WHERE id = 50").update();
            tileCache.clear();
        }
    }

    /** The WebMercatorQuad tile at zoom z holding a point, as a path {@code /tiles/WebMercatorQuad/z/y/x}. */
    private static String tileAt(int z, double lon, double lat) {
        double n = 1 << z;
        long x = (long) Math.floor((lon + 180) / 360 * n);
        double phi = Math.toRadians(lat);
        long y = (long) Math.floor((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2 * n);
        return "/tiles/WebMercatorQuad/" + z + "/" + y + "/" + x;
    }

    private long householdsInTile(String uri, long buildingId) {
        byte[] tile = get("admin", uri).exchange().expectStatus().isOk().expectBody(byte[].class).returnResult()
                .getResponseBody();
        return (Long) MvtReader.layers(tile).get("buildings").features().stream().filter(f -> f.id() == buildingId)
                .findFirst().orElseThrow().attributes().get("households");
    }

    @Test
    void aWriteRemakesOnlyTheTilesItLandedInWhileAreaSumsFollowEveryWrite() {
        // building 1 (grid A) and building 3 (grid B) lie five z17 tiles apart
        String atBuildingOne = "/ogc/collections/buildings" + tileAt(17, 104.002, 30.002);
        String atBuildingThree = "/ogc/collections/buildings" + tileAt(17, 104.015, 30.005);
        String gridsAtBuildingThree = "/ogc/collections/grids" + tileAt(17, 104.015, 30.005);
        assertThat(householdsInTile(atBuildingOne, 1)).isEqualTo(20L);
        assertThat(householdsInTile(atBuildingThree, 3)).isEqualTo(40L);
        get("admin", gridsAtBuildingThree).exchange().expectStatus().isOk();
        long made = tileCache.stored();
        assertThat(householdsInTile(atBuildingOne, 1)).isEqualTo(20L);
        get("admin", gridsAtBuildingThree).exchange().expectStatus().isOk();
        assertThat(tileCache.stored()).as("served from the cache").isEqualTo(made);

        jdbc.sql("UPDATE building SET households = households + 1 WHERE id = 1").update();
        try {
            assertThat(householdsInTile(atBuildingOne, 1)).isEqualTo(21L);
            assertThat(tileCache.stored()).as("the tile the write landed in is made again").isEqualTo(made + 1);
            assertThat(householdsInTile(atBuildingThree, 3)).isEqualTo(40L);
            assertThat(tileCache.stored()).as("a tile of another grid is kept").isEqualTo(made + 1);
            // a grid's households sum up its buildings: its tiles follow every write, wherever it landed
            get("admin", gridsAtBuildingThree).exchange().expectStatus().isOk();
            assertThat(tileCache.stored()).isEqualTo(made + 2);
        } finally {
            jdbc.sql("UPDATE building SET households = households - 1 WHERE id = 1").update();
        }
    }

    @Test
    void tileJsonPointsAtTheTileTemplate() {
        Map<String, Object> tileJson = json("planner", "/ogc/collections/grids/tiles/WebMercatorQuad/tilejson");
        assertThat(tileJson.get("tilejson")).isEqualTo("3.0.0");
        assertThat(tileJson.get("tiles")).isEqualTo(List.of("http://localhost:" + port
                + "/ogc/collections/grids/tiles/WebMercatorQuad/{z}/{y}/{x}"));
        assertThat(tileJson.get("bounds")).isEqualTo(List.of(104.0, 30.0, 104.02, 30.01));
    }
}
