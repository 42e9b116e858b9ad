// Layers every screen shares: buildings per viewport (coloured by head coverage), facilities.
import { getJson } from './http.js';
import { el } from './dom.js';
import { t, term } from './i18n.js';
import { readTile } from './mvt.js';

const BUILDING_MIN_ZOOM = 15;

/** Green: building and unit heads complete; orange: units without a head; red: no building head. */
export function buildingColour(properties) {
  if (!properties.hasBuildingHead) return '#c62828';
  if (properties.unitsWithoutHead > 0) return '#ef6c00';
  return '#2e7d32';
}

export function bboxOf(map) {
  const b = map.getBounds();
  return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(',');
}

function buildingTooltip(properties) {
  const head = !properties.hasBuildingHead ? t('building.noHead')
    : properties.unitsWithoutHead > 0 ? t('building.unitsWithoutHead') : t('building.hasHead');
  return el('div', {}, el('strong', {}, properties.name || `#${properties.id}`), el('br'),
    t('building.units', properties.units), ' · ', head);
}

/**
 * Buildings of the viewport at high zoom; nothing at low zoom (the map never loads a whole city).
 * `onSelect(feature)`, if given, runs when a building is clicked.
 */
export function buildingsLayer({ map, geoJson, status }, { onSelect } = {}) {
  const layer = geoJson(null, {
    className: 'building',
    style: (feature) => ({ color: buildingColour(feature.properties), weight: 1, fillOpacity: 0.5 }),
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, { className: 'building', radius: 5, color: buildingColour(feature.properties) }),
    onEachFeature: (feature, item) => {
      item.bindTooltip(() => buildingTooltip(feature.properties));
      if (onSelect) item.on('click', () => onSelect(feature));
    },
  });
  let request = 0;
  async function refresh() {
    if (!map.hasLayer(layer)) return;
    if (map.getZoom() < BUILDING_MIN_ZOOM) {
      layer.clearLayers();
      layer.count = 0;
      return;
    }
    const mine = ++request;
    try {
      const buildings = await getJson(`/api/buildings?bbox=${bboxOf(map)}`);
      if (mine !== request) return; // a newer viewport's answer wins
      layer.clearLayers().addData(buildings);
      layer.count = buildings.features.length;
      layer.truncated = buildings.truncated;
      layer.fire('caregrid:loaded');
    } catch (error) {
      status.fail(error);
    }
  }
  map.on('moveend', refresh);
  layer.on('add', refresh);
  layer.refresh = refresh;
  return layer;
}

/**
 * A tile's bytes. A busy server answers 503 when no database connection frees up in time (a zoom-out asks for
 * dozens of tiles at once): such a tile is asked again after 1, 2 and 4 s while it is still on the map, rather
 * than left blank.
 */
async function fetchTile(url, key, stillWanted) {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/vnd.mapbox-vector-tile' } });
    if (response.ok) return response.arrayBuffer();
    if (response.status !== 503 || attempt === 3 || !stillWanted()) {
      throw Object.assign(new Error(`tile ${key}: ${response.status}`), { status: response.status });
    }
    await new Promise((resolve) => { setTimeout(resolve, 1000 * 2 ** attempt); });
  }
}

/**
 * One of caregrid's vector-tile collections (OGC API – Tiles, scoped by the server like every read) drawn on
 * canvas: `draw(context, layer, scale)` paints one tile's decoded MVT layer and returns the ids it drew. The
 * map's element counts what is drawn, under the dataset names in `counters`: `features` (distinct ids),
 * `keys` (the tiles as z/x/y) and `loaded` (set once every tile of the view is in), for the people who test it.
 * `layer.repaint()` draws every tile again from what it held, without fetching it (another metric, say).
 */
export function vectorTilesLayer({ map, status }, { collection, draw, counters, ...options }) {
  const tiles = new Map(); // tile key → { canvas, layer (null until it is in), ids }
  const container = map.getContainer();
  function count() {
    const ids = new Set();
    const keys = [];
    tiles.forEach((tile, key) => {
      if (!tile.layer) return;
      keys.push(key);
      tile.ids.forEach((id) => ids.add(id));
    });
    container.dataset[counters.features] = String(ids.size);
    container.dataset[counters.keys] = keys.join(',');
    return keys.length;
  }
  function paint(tile) {
    const context = tile.canvas.getContext('2d');
    context.clearRect(0, 0, tile.canvas.width, tile.canvas.height);
    tile.ids = draw(context, tile.layer, tile.canvas.width / tile.layer.extent);
  }
  const TileLayer = L.GridLayer.extend({
    createTile(coords, done) {
      const size = this.getTileSize();
      const canvas = document.createElement('canvas');
      canvas.width = size.x;
      canvas.height = size.y;
      const key = `${coords.z}/${coords.x}/${coords.y}`;
      const tile = { canvas, layer: null, ids: [] };
      tiles.set(key, tile);
      fetchTile(`/ogc/collections/${collection}/tiles/WebMercatorQuad/${coords.z}/${coords.y}/${coords.x}`, key,
        () => tiles.get(key) === tile)
        .then((buffer) => {
          // an empty tile has no layer: nothing to draw, but it is in
          tile.layer = Object.values(readTile(buffer))[0] ?? { extent: 4096, features: [] };
          paint(tile);
          if (tiles.get(key) === tile) count(); // else unloaded meanwhile
          done(null, canvas);
        })
        .catch((error) => {
          status.fail(error);
          done(error, canvas);
        });
      return canvas;
    },
  });
  const layer = new TileLayer(options);
  layer.on('tileunload', (event) => {
    tiles.delete(`${event.coords.z}/${event.coords.x}/${event.coords.y}`);
    count();
  });
  layer.on('loading', () => { delete container.dataset[counters.loaded]; });
  layer.on('load', () => { container.dataset[counters.loaded] = String(count()); });
  layer.repaint = () => {
    tiles.forEach((tile) => { if (tile.layer) paint(tile); });
    count();
  };
  return layer;
}

/** Traces a tile's polygon (its rings, in tile units) as one path, holes included with 'evenodd'. */
export function tracePolygon(context, feature, scale) {
  context.beginPath();
  for (const ring of feature.geometry) {
    ring.forEach(([x, y], i) => (i === 0 ? context.moveTo(x * scale, y * scale) : context.lineTo(x * scale, y * scale)));
    context.closePath();
  }
}

/**
 * The buildings below the zoom where they come as GeoJSON, from the `buildings` tiles in the same colours,
 * so that a planner sees a whole street or district without the map fetching every building
 * (`data-tile-buildings`, `data-tile-keys`, `data-tiles-loaded`).
 */
export function buildingTilesLayer(context) {
  return vectorTilesLayer(context, {
    collection: 'buildings', draw: drawBuildings, minZoom: 10, maxZoom: BUILDING_MIN_ZOOM - 1,
    className: 'building-tiles', zIndex: 3,
    counters: { features: 'tileBuildings', keys: 'tileKeys', loaded: 'tilesLoaded' },
  });
}

/** Draws a tile's buildings (footprints, or entrances as dots) in their head-coverage colours; their ids. */
function drawBuildings(context, layer, scale) {
  const ids = [];
  for (const feature of layer.features) {
    const colour = buildingColour({
      hasBuildingHead: feature.properties.has_building_head === true,
      unitsWithoutHead: 0,
    });
    context.strokeStyle = colour;
    context.fillStyle = colour;
    if (feature.type === 'Polygon') {
      tracePolygon(context, feature, scale);
      context.globalAlpha = 0.5;
      context.fill('evenodd');
      context.globalAlpha = 1;
      context.stroke();
    } else if (feature.type === 'Point') {
      for (const [x, y] of feature.geometry.flat()) {
        context.beginPath();
        context.arc(x * scale, y * scale, 2.5, 0, 2 * Math.PI);
        context.fill();
      }
    }
    if (feature.id !== null) ids.push(feature.id);
  }
  return ids;
}

export function facilitiesLayer({ geoJson, status }) {
  const layer = geoJson(null, {
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, {
      radius: 6, color: '#6a1b9a', fillColor: feature.properties.kind === 'pharmacy' ? '#ce93d8' : '#fff', fillOpacity: 0.9,
    }),
    onEachFeature: (feature, item) => item.bindTooltip(() => el('span', {}, feature.properties.name, ' · ',
      term('facilityKinds', feature.properties.kind))),
  });
  getJson('/api/facilities').then((data) => layer.addData(data)).catch((error) => status.fail(error));
  return layer;
}

const GRID_COLOUR = '#1d5c8a';

export function gridsLayer({ geoJson, status }, community) {
  const layer = geoJson(null, { className: 'grid', style: { color: GRID_COLOUR, weight: 2, fill: false, dashArray: '4 4' } });
  const query = community ? `?community=${community}` : '';
  layer.ready = getJson(`/api/grids${query}`).then((data) => {
    layer.addData(data);
    return layer;
  }).catch((error) => status.fail(error));
  return layer;
}

/**
 * Grid tiles stop below this zoom. From z14 up a grid (the demo's are 240 m × 200 m; the norm is 300–500
 * households) is 30 px or more across: big enough to point at, so the screens' GeoJSON grids with their tooltips
 * are what the map needs. Below it a view holds a street or more (at z13 a 1280 px map spans ~18 km in
 * Chengdu): hundreds of grids, which the tiles draw without fetching them as GeoJSON.
 */
export const GRID_TILES_BELOW_ZOOM = 14;

/**
 * Every grid of the view (in the caller's scope) at low zoom, as outlines from the `grids` tiles, the way
 * gridsLayer draws them (`data-tile-grids`, `data-grid-tile-keys`, `data-grid-tiles-loaded`). Below z11 a grid
 * is a speck and a tile would carry a whole city's grids for nothing.
 */
export function gridTilesLayer(context) {
  return vectorTilesLayer(context, {
    collection: 'grids', draw: drawGridOutlines, minZoom: 11, maxZoom: GRID_TILES_BELOW_ZOOM - 1,
    className: 'grid-tiles', zIndex: 4,
    counters: { features: 'tileGrids', keys: 'gridTileKeys', loaded: 'gridTilesLoaded' },
  });
}

function drawGridOutlines(context, layer, scale) {
  context.strokeStyle = GRID_COLOUR;
  context.lineWidth = 1.5;
  context.setLineDash([4, 4]);
  const ids = [];
  for (const feature of layer.features) {
    if (feature.type !== 'Polygon') continue;
    tracePolygon(context, feature, scale);
    context.stroke();
    ids.push(feature.id);
  }
  return ids;
}

/** The grids a loaded grids layer holds, as {id, name}, for a screen that offers a choice of them. */
export function gridChoices(layer) {
  return layer.getLayers().map((item) => {
    const properties = item.feature.properties || {};
    return { id: properties.id ?? item.feature.id, name: properties.name };
  });
}

const ROAD_MIN_ZOOM = 15;

/** Wider and darker for the roads that carry traffic; paths and tracks thin and pale. */
export function roadStyle(properties) {
  const cls = properties.class;
  if (['motorway', 'trunk', 'primary'].includes(cls)) return { color: '#e0a000', weight: 5 };
  if (['secondary', 'tertiary'].includes(cls)) return { color: '#f2c94c', weight: 4 };
  if (['residential', 'unclassified', 'living_street', 'service', 'road'].includes(cls)) return { color: '#9e9e9e', weight: 3 };
  if (['footway', 'pedestrian', 'path', 'steps', 'cycleway', 'track', 'bridleway'].includes(cls)) {
    return { color: '#bcaaa4', weight: 1.5, dashArray: '3 3' };
  }
  return { color: '#b0b0b0', weight: 2 };
}

/**
 * caregrid's own base layer: the routing graph's roads of the viewport, so that the map works with
 * no tile server. Drawn in a pane under the buildings, only at high zoom (never a whole city).
 * Without a road network (503) it stays empty and says nothing: the map still works.
 */
export function roadsLayer({ map, geoJson }) {
  if (!map.getPane('roads')) {
    map.createPane('roads');
    map.getPane('roads').style.zIndex = 350; // above tiles (200), below overlays such as buildings (400)
  }
  const layer = geoJson(null, {
    pane: 'roads',
    interactive: false,
    style: (feature) => ({ ...roadStyle(feature.properties), className: `road road-${feature.properties.class}`, opacity: 0.9 }),
  });
  const container = map.getContainer();
  let request = 0;
  async function refresh() {
    if (!map.hasLayer(layer)) return;
    const mine = ++request;
    const zoom = map.getZoom();
    if (zoom === undefined || zoom < ROAD_MIN_ZOOM) { // no view yet, or too far out
      layer.clearLayers();
      container.dataset.roads = '0';
      delete container.dataset.roadsBbox;
      return;
    }
    const bbox = bboxOf(map);
    try {
      const response = await fetch(`/api/roads?bbox=${bbox}`, { credentials: 'same-origin', headers: { Accept: 'application/geo+json' } });
      if (mine !== request) return;
      if (!response.ok) {
        layer.clearLayers();
        container.dataset.roads = 'unavailable';
        return;
      }
      const roads = await response.json();
      if (mine !== request) return;
      layer.clearLayers().addData(roads);
      container.dataset.roadsBbox = bbox;
      container.dataset.roads = String(roads.features.length);
    } catch (error) {
      console.warn('roads', error);
    }
  }
  map.on('moveend', refresh);
  layer.on('add', refresh);
  layer.refresh = refresh;
  return layer;
}
