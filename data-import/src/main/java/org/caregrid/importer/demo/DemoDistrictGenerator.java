package org.caregrid.importer.demo;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.caregrid.importer.Address;
import org.caregrid.importer.AdminArea;
import org.caregrid.importer.AdminLevel;
import org.caregrid.importer.Building;
import org.caregrid.importer.Compound;
import org.caregrid.importer.Facility;
import org.caregrid.importer.FacilityKind;
import org.caregrid.importer.Geometries;
import org.caregrid.importer.Grid;
import org.caregrid.importer.MicroOrganisation;
import org.caregrid.importer.Unit;
import org.caregrid.importer.demo.Plans.BuildingPlan;
import org.caregrid.importer.demo.Plans.CompoundPlan;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.union.CascadedPolygonUnion;

/**
 * Generates a believable Chinese urban sub-district (街道) in Chengdu's Wuhou district (武侯区), south of the
 * first ring road. Deterministic: the same seed and scale give the same district, person for person.
 *
 * <p>The one scale parameter is the number of residents: {@link #DEMO_RESIDENTS} gives one street with 4–6
 * communities; {@link #BENCHMARK_RESIDENTS} gives a district of ~15 streets and ~15 000 buildings. Layout: a lattice
 * of grid cells (240 m x 200 m) bounded by streets; each grid holds 1–3 compounds whose buildings are placed in
 * rows; each grid has 300–500 households. The area codes follow the 12-digit statistical format under Wuhou's real
 * county code 510107; street and community codes and all boundaries are synthetic.
 */
public final class DemoDistrictGenerator {

    public static final int DEMO_RESIDENTS = 30_000;
    public static final int BENCHMARK_RESIDENTS = 1_000_000;
    /** The "today" of visit histories and requests unless one is given, so output does not depend on the clock. */
    public static final LocalDate DEFAULT_REFERENCE_DATE = LocalDate.of(2026, 11, 20);

    static final double CELL_WIDTH = 240;
    static final double CELL_HEIGHT = 200;
    static final double MEAN_HOUSEHOLD_SIZE = 2.62;
    static final int MIN_GRID_HOUSEHOLDS = 300;
    static final int MAX_GRID_HOUSEHOLDS = 500;
    private static final double SLOT_WIDTH = 35;
    private static final double SLOT_HEIGHT = 34;
    private static final int SLOT_COLUMNS = 6;
    private static final int SLOT_ROWS = 5;
    private static final double MARGIN = 15;
    private static final int MAX_BUILDINGS_PER_GRID = SLOT_COLUMNS * SLOT_ROWS;
    /** South-west corner of the district: near Yulin (玉林), Wuhou district, Chengdu. */
    private static final double ORIGIN_LON = 104.045;
    private static final double ORIGIN_LAT = 30.618;

    static final String CITY_CODE = "510100000000";
    static final String DISTRICT_CODE = "510107000000";
    private static final String[] STREET_NAMES = {"玉林街道", "浆洗街街道", "望江路街道", "火车南站街道", "红牌楼街道",
            "簇锦街道", "簇桥街道", "机投桥街道", "晋阳街道", "金花桥街道", "华兴街道", "芳草街街道", "桐梓林街道",
            "双楠街道", "致民路街道", "科华街道", "永丰街道", "太平园街道", "高升桥街道", "簇桥东街道"};

    private DemoDistrictGenerator() {
    }

    public static DemoDistrict generate(long seed, int targetResidents) {
        return generate(seed, targetResidents, DEFAULT_REFERENCE_DATE);
    }

    /**
     * @param seed            any number; the same seed gives the same district
     * @param targetResidents about how many residents (5 000 to a few million)
     * @param referenceDate   "today" for visit histories (some overdue) and pending requests
     */
    public static DemoDistrict generate(long seed, int targetResidents, LocalDate referenceDate) {
        if (targetResidents < 5_000) {
            throw new IllegalArgumentException("the demo district needs at least 5000 residents (4 communities)");
        }
        return new Builder(seed, targetResidents, referenceDate).build();
    }

    private static final class Builder {
        private final long seed;
        private final int targetResidents;
        private final LocalDate referenceDate;
        private final SplittableRandom random;
        private final LocalProjection projection = new LocalProjection(ORIGIN_LON, ORIGIN_LAT);
        private final List<int[]> gridCells = new ArrayList<>();
        private final List<Integer> gridHouseholds = new ArrayList<>();
        private final List<CompoundPlan> compounds = new ArrayList<>();
        private final List<BuildingPlan> buildings = new ArrayList<>();
        private final List<List<CompoundPlan>> compoundsByGrid = new ArrayList<>();
        private int columns;

        Builder(long seed, int targetResidents, LocalDate referenceDate) {
            this.seed = seed;
            this.targetResidents = targetResidents;
            this.referenceDate = referenceDate;
            this.random = new SplittableRandom(seed);
        }

        DemoDistrict build() {
            long targetHouseholds = Math.round(targetResidents / MEAN_HOUSEHOLD_SIZE);
            int estimatedGrids = (int) Math.ceil(targetHouseholds / 370.0);
            columns = Math.max(3, (int) Math.ceil(Math.sqrt(estimatedGrids * CELL_HEIGHT / CELL_WIDTH)));
            long households = 0;
            for (int cell = 0; households < targetHouseholds; cell++) {
                int row = cell / columns;
                int inRow = cell % columns;
                int column = row % 2 == 0 ? inRow : columns - 1 - inRow; // boustrophedon keeps communities compact
                households += planGrid(column, row);
            }
            int gridCount = gridCells.size();

            // Streets and communities: contiguous runs of grids in generation order.
            int streetCount = Math.max(1, (int) Math.round(targetResidents / 65_000.0));
            List<Integer> communitiesPerStreet = new ArrayList<>();
            int communityCount = 0;
            for (int s = 0; s < streetCount; s++) {
                int n = 4 + random.nextInt(3);
                communitiesPerStreet.add(n);
                communityCount += n;
            }
            communityCount = Math.min(communityCount, gridCount);
            String[] communityOfGrid = new String[gridCount];
            String[] gridCodes = new String[gridCount];
            List<AdminArea> areas = new ArrayList<>();
            List<Grid> grids = new ArrayList<>();
            List<Polygon> gridPolygons = new ArrayList<>();
            for (int g = 0; g < gridCount; g++) {
                int[] cell = gridCells.get(g);
                gridPolygons.add(projection.rectangle(cell[0] * CELL_WIDTH, cell[1] * CELL_HEIGHT,
                        (cell[0] + 1) * CELL_WIDTH, (cell[1] + 1) * CELL_HEIGHT));
            }
            List<String> streetCodes = new ArrayList<>();
            List<List<Integer>> gridsByStreet = new ArrayList<>();
            List<List<Integer>> gridsByCommunity = new ArrayList<>();
            List<String> communityCodes = new ArrayList<>();
            List<String> communityNames = new ArrayList<>();
            int community = 0;
            List<Geometry> streetShapes = new ArrayList<>();
            for (int s = 0; s < streetCount && community < communityCount; s++) {
                String streetCode = DISTRICT_CODE.substring(0, 6) + String.format("%03d", s + 1) + "000";
                String streetName = STREET_NAMES[s % STREET_NAMES.length] + (s >= STREET_NAMES.length
                        ? String.valueOf(s / STREET_NAMES.length + 1) : "");
                List<Integer> streetGrids = new ArrayList<>();
                List<Polygon> streetPolygons = new ArrayList<>();
                int last = s == streetCount - 1 ? communityCount : Math.min(communityCount,
                        community + communitiesPerStreet.get(s));
                for (int j = 1; community < last; community++, j++) {
                    String code = streetCode.substring(0, 9) + String.format("%03d", j);
                    String name = ChineseNames.roadWord(community) + (community % 3 == 0 ? "社区" : "路社区");
                    int from = (int) ((long) community * gridCount / communityCount);
                    int to = (int) ((long) (community + 1) * gridCount / communityCount);
                    List<Integer> members = new ArrayList<>();
                    List<Polygon> polygons = new ArrayList<>();
                    for (int g = from; g < to; g++) {
                        communityOfGrid[g] = code;
                        members.add(g);
                        polygons.add(gridPolygons.get(g));
                    }
                    streetGrids.addAll(members);
                    streetPolygons.addAll(polygons);
                    gridsByCommunity.add(members);
                    communityCodes.add(code);
                    communityNames.add(name);
                    areas.add(new AdminArea(code, AdminLevel.COMMUNITY, streetCode, name, union(polygons)));
                    for (int k = 0; k < members.size(); k++) {
                        int g = members.get(k);
                        gridCodes[g] = code + "-" + String.format("%02d", k + 1);
                        grids.add(new Grid(gridCodes[g],
                                name + "第" + (k + 1) + "网格", code, gridPolygons.get(g)));
                    }
                }
                Geometry streetShape = union(streetPolygons);
                streetShapes.add(streetShape);
                streetCodes.add(streetCode);
                gridsByStreet.add(streetGrids);
                areas.add(new AdminArea(streetCode, AdminLevel.STREET, DISTRICT_CODE, streetName,
                        Geometries.toMultiPolygon(streetShape)));
            }
            Geometry districtShape = CascadedPolygonUnion.union(gridPolygons);
            areas.add(new AdminArea(DISTRICT_CODE, AdminLevel.DISTRICT, CITY_CODE, "武侯区",
                    Geometries.toMultiPolygon(districtShape)));
            Geometry city = districtShape.getEnvelope().buffer(0.05, 1);
            areas.add(new AdminArea(CITY_CODE, AdminLevel.CITY, null, "成都市",
                    Geometries.toMultiPolygon(city)));
            areas.sort(java.util.Comparator.comparing(AdminArea::code));
            grids.sort(java.util.Comparator.comparing(Grid::code));

            finishBuildings(communityOfGrid);
            List<Facility> facilities = facilities(gridsByStreet, gridsByCommunity, communityNames, gridCount);
            List<MicroOrganisation> organisations = microOrganisations(gridsByCommunity, communityCodes,
                    communityNames);
            int rowsUsed = gridCells.stream().mapToInt(c -> c[1]).max().orElse(0) + 1;
            return new DemoDistrict(seed, targetResidents, referenceDate, projection, areas, grids, compounds,
                    buildings, facilities, organisations, List.of(gridCodes), columns, rowsUsed);
        }

        private org.locationtech.jts.geom.MultiPolygon union(List<Polygon> polygons) {
            return Geometries.toMultiPolygon(CascadedPolygonUnion.union(polygons));
        }

        /** Lays out one grid cell; returns its households (300–500). */
        private int planGrid(int column, int row) {
            int gridIndex = gridCells.size();
            gridCells.add(new int[] {column, row});
            double x0 = column * CELL_WIDTH;
            double y0 = row * CELL_HEIGHT;
            double era = random.nextDouble(); // < 0.5 old walk-ups, < 0.82 mixed, else new high-rises
            int target = 320 + random.nextInt(100);
            List<int[]> specs = new ArrayList<>(); // floors, units, per floor, high-rise flag
            int sum = 0;
            while (sum < target && specs.size() < MAX_BUILDINGS_PER_GRID) {
                double type = random.nextDouble();
                int[] spec;
                boolean forceHighRise = specs.size() >= 18; // few slots left: big buildings reach 300 for sure
                double walkUpShare = era < 0.5 ? 0.9 : era < 0.82 ? 0.6 : 0.15;
                double midRiseShare = era < 0.5 ? 0.1 : era < 0.82 ? 0.3 : 0.35;
                if (!forceHighRise && type < walkUpShare) {
                    double u = random.nextDouble();
                    spec = new int[] {4 + random.nextInt(4), u < 0.35 ? 1 : u < 0.85 ? 2 : 3, 2, 0};
                } else if (!forceHighRise && type < walkUpShare + midRiseShare) {
                    spec = new int[] {8 + random.nextInt(4), 2, 2, 0};
                } else {
                    spec = new int[] {18 + random.nextInt(13), 1, 2 + random.nextInt(3), 1};
                }
                int households = spec[0] * spec[1] * spec[2];
                if (sum + households > MAX_GRID_HOUSEHOLDS) {
                    spec[0] = (MAX_GRID_HOUSEHOLDS - sum) / (spec[1] * spec[2]);
                    if (spec[0] < 2) {
                        break; // sum is above 396 here, so the grid is already in range
                    }
                    households = spec[0] * spec[1] * spec[2];
                }
                specs.add(spec);
                sum += households;
            }
            gridHouseholds.add(sum);
            int compoundCount = Math.min(specs.size(), 1 + random.nextInt(3));
            int[] columnsPerCompound = switch (compoundCount) {
                case 1 -> new int[] {6};
                case 2 -> new int[] {3, 3};
                default -> new int[] {2, 2, 2};
            };
            List<CompoundPlan> gridCompounds = new ArrayList<>();
            int startColumn = 0;
            int next = 0;
            for (int k = 0; k < compoundCount; k++) {
                // buildings shared by slot capacity; the last compound takes the rest
                int share = k == compoundCount - 1 ? specs.size() - next
                        : Math.max(1, Math.round(specs.size() * columnsPerCompound[k] / (float) SLOT_COLUMNS));
                double left = x0 + MARGIN + startColumn * SLOT_WIDTH;
                double right = left + columnsPerCompound[k] * SLOT_WIDTH;
                List<int[]> compoundSpecs = specs.subList(next, next + share);
                boolean mostlyHighRise = compoundSpecs.stream().filter(s -> s[3] == 1).count() * 2
                        > compoundSpecs.size();
                boolean old = !mostlyHighRise && era < 0.82;
                Boolean managed = random.nextDouble() < (mostlyHighRise ? 0.95 : old ? 0.35 : 0.7);
                String id = String.format("demo:c:%05d", compounds.size() + 1);
                String name = ChineseNames.compoundName(random, old, k);
                Compound compound = new Compound(id, name, managed,
                        projection.rectangle(left + 1, y0 + 12, right - 0.5, y0 + CELL_HEIGHT - 12));
                CompoundPlan plan = new CompoundPlan(compound, left + 3, y0, y0 + 12);
                for (int b = 0; b < compoundSpecs.size(); b++) {
                    int slotRow = b / columnsPerCompound[k];
                    int slotColumn = startColumn + b % columnsPerCompound[k];
                    plan.buildings.add(planBuilding(gridIndex, compoundSpecs.get(b),
                            x0 + MARGIN + slotColumn * SLOT_WIDTH, y0 + MARGIN + slotRow * SLOT_HEIGHT));
                }
                if (compoundSpecs.size() > columnsPerCompound[k] * SLOT_ROWS) {
                    throw new IllegalStateException("compound overfull"); // cannot happen: at most 30 buildings
                }
                compounds.add(plan);
                gridCompounds.add(plan);
                next += share;
                startColumn += columnsPerCompound[k];
            }
            compoundsByGrid.add(gridCompounds);
            return sum;
        }

        private BuildingPlan planBuilding(int gridIndex, int[] spec, double slotX, double slotY) {
            int floors = spec[0];
            int units = spec[1];
            boolean highRise = spec[3] == 1;
            double width = highRise ? 22 : floors >= 8 ? 22 : units * 9 + 2;
            double depth = highRise ? 20 : floors >= 8 ? 13 : 11;
            double left = slotX + 5;
            double front = slotY + 10;
            double[] entrances = new double[units];
            for (int u = 0; u < units; u++) {
                entrances[u] = left + (u + 0.5) * width / units;
            }
            BuildingPlan plan = new BuildingPlan(buildings.size(), gridIndex, null, highRise, floors, units, spec[2],
                    entrances, front, slotY + 5);
            plan.building = new Building(null, "demo", null, null,
                    projection.rectangle(left, front, left + width, front + depth), null, floors, null, false, null,
                    Address.NONE);
            buildings.add(plan);
            return plan;
        }

        /** Ids, names and units, now that compounds and communities are known. */
        private void finishBuildings(String[] communityOfGrid) {
            for (CompoundPlan compound : compounds) {
                for (int k = 0; k < compound.buildings.size(); k++) {
                    BuildingPlan plan = compound.buildings.get(k);
                    int index = plan.index;
                    String id = String.format("demo:b:%06d", index + 1);
                    int[] cell = gridCells.get(plan.gridIndex);
                    String road = ChineseNames.roadWord(cell[1]) + "路";
                    Address address = new Address("成都市", "武侯区", road,
                            (cell[0] * 20 + compounds.indexOf(compound) % 10 + 1) + "号", compound.compound.name(),
                            "610041");
                    List<Unit> units = new ArrayList<>();
                    for (int u = 0; u < plan.unitCount; u++) {
                        units.add(new Unit(id, String.valueOf(u + 1), plan.floors * plan.householdsPerFloor,
                                projection.point(plan.entranceX[u], plan.entranceY)));
                    }
                    Building draft = plan.building;
                    BuildingPlan finished = new BuildingPlan(index, plan.gridIndex, communityOfGrid[plan.gridIndex],
                            plan.highRise, plan.floors, plan.unitCount, plan.householdsPerFloor, plan.entranceX,
                            plan.entranceY, plan.rowPathY);
                    finished.building = new Building(id, "demo", compound.compound.name() + (k + 1) + "栋",
                            String.format("%s-%02d", compound.compound.externalId().substring(7), k + 1),
                            draft.footprint(), units.get(0).entrance(), plan.floors, plan.households(), false,
                            compound.compound.externalId(), address);
                    finished.units = units;
                    compound.buildings.set(k, finished);
                    buildings.set(index, finished);
                }
            }
        }

        /** A street-front spot in a grid: between the street and the compound fences, as shops stand. */
        private org.locationtech.jts.geom.Point frontage(int grid) {
            int[] cell = gridCells.get(grid);
            double x = cell[0] * CELL_WIDTH + 20 + random.nextDouble() * (CELL_WIDTH - 40);
            return projection.point(x, cell[1] * CELL_HEIGHT + 6);
        }

        private void facility(List<Facility> facilities, FacilityKind kind, String name, String openingHours,
                              int grid) {
            facility(facilities, kind, name, openingHours, grid, List.of(), false);
        }

        private void facility(List<Facility> facilities, FacilityKind kind, String name, String openingHours,
                              int grid, List<String> specialities, boolean emergency) {
            facilities.add(new Facility(String.format("demo:f:%05d", facilities.size() + 1), kind, name,
                    openingHours, frontage(grid), specialities, emergency));
        }

        private List<Facility> facilities(List<List<Integer>> gridsByStreet, List<List<Integer>> gridsByCommunity,
                                          List<String> communityNames, int gridCount) {
            List<Facility> facilities = new ArrayList<>();
            String[] pharmacyBrands = {"老百姓大药房", "一心堂", "海王星辰", "桐君阁大药房", "太极大药房", "德仁堂"};
            int pharmacies = Math.max(3, targetResidents / 3000);
            for (int i = 0; i < pharmacies; i++) {
                String brand = pharmacyBrands[random.nextInt(pharmacyBrands.length)];
                String hours = random.nextDouble() < 0.15 ? "24/7" : "Mo-Su 08:00-22:00";
                String name = brand + "（" + ChineseNames.roadWord(random.nextInt(30)) + "店）";
                facility(facilities, FacilityKind.PHARMACY, name, hours, random.nextInt(gridCount));
            }
            int clinics = Math.max(2, targetResidents / 6000);
            for (int i = 0; i < clinics; i++) {
                String name = ChineseNames.roadWord(random.nextInt(30)) + (random.nextBoolean() ? "诊所" : "中医诊所");
                facility(facilities, FacilityKind.CLINIC, name, "Mo-Sa 08:30-17:30", random.nextInt(gridCount));
            }
            for (int s = 0; s < gridsByStreet.size(); s++) {
                List<Integer> grids = gridsByStreet.get(s);
                String street = STREET_NAMES[s % STREET_NAMES.length].replace("街道", "");
                facility(facilities, FacilityKind.COMMUNITY_HEALTH_CENTRE, street + "社区卫生服务中心",
                        "Mo-Su 08:00-17:30", grids.get(random.nextInt(grids.size())));
                if (s % 5 != 4) { // a realistic gap: not every street has its social-work station yet
                    facility(facilities, FacilityKind.SOCIAL_WORK_STATION, street + "街道社工站",
                            "Mo-Fr 09:00-12:00,13:30-17:30", grids.get(random.nextInt(grids.size())));
                }
            }
            int hospitals = Math.max(1, targetResidents / 200_000);
            for (int i = 0; i < hospitals; i++) {
                // a district people's hospital has an emergency department, obstetrics and paediatrics (急诊转运)
                facility(facilities, FacilityKind.HOSPITAL, i == 0 ? "武侯区人民医院" : "武侯区第" + (i + 1) + "人民医院",
                        "24/7", random.nextInt(gridCount), List.of("general", "obstetrics", "paediatrics"), true);
            }
            for (int c = 0; c < gridsByCommunity.size(); c++) {
                List<Integer> grids = gridsByCommunity.get(c);
                facility(facilities, FacilityKind.COMMUNITY_OFFICE, communityNames.get(c) + "居民委员会",
                        "Mo-Fr 09:00-12:00,13:30-17:30", grids.get(random.nextInt(grids.size())));
                if (c % 6 != 5) { // one community in six still lacks its volunteer service station
                    facility(facilities, FacilityKind.VOLUNTEER_SERVICE_STATION, communityNames.get(c) + "志愿服务站",
                            "Mo-Su 09:00-18:00", grids.get(random.nextInt(grids.size())));
                }
            }
            return facilities;
        }

        private List<MicroOrganisation> microOrganisations(List<List<Integer>> gridsByCommunity,
                                                           List<String> communityCodes, List<String> communityNames) {
            String[] communityKinds = {"老年协会", "文艺队", "志愿服务队", "读书会", "邻里互助会", "调解委员会", "巡逻队",
                    "健身队"};
            String[] compoundKinds = {"院落自治小组", "邻里互助会", "楼栋议事会", "业主委员会"};
            List<MicroOrganisation> organisations = new ArrayList<>();
            int serial = 0;
            for (int c = 0; c < gridsByCommunity.size(); c++) {
                String code = communityCodes.get(c);
                int communityLevel = 1 + random.nextInt(5);
                for (int i = 0; i < communityLevel; i++) {
                    String kind = communityKinds[(c + i) % communityKinds.length];
                    organisations.add(new MicroOrganisation(String.format("demo:m:%05d", ++serial),
                            communityNames.get(c) + kind, kind, code, null));
                }
                double compoundShare = 0.3 + random.nextDouble() * 0.6;
                for (int g : gridsByCommunity.get(c)) {
                    for (CompoundPlan compound : compoundsByGrid.get(g)) {
                        if (random.nextDouble() < compoundShare) {
                            String kind = compoundKinds[random.nextInt(compoundKinds.length)];
                            organisations.add(new MicroOrganisation(String.format("demo:m:%05d", ++serial),
                                    compound.compound.name() + kind, kind, code, compound.compound.externalId()));
                        }
                    }
                }
            }
            return organisations;
        }
    }
}
