// Layers every screen shares: buildings per viewport (coloured by head coverage), facilities.
import { getJson } from './http.js';
import { el } from './dom.js';
import { t } from './i18n.js';

const BUILDING_MIN_ZOOM = 15;

/** Green: building and unit heads complete; orange: units without a head; red: no building head. */
export function buildingColour(properties) {
  if (!properties.has_building_head) return '#c62828';
  if (properties.units_without_head > 0) return '#ef6c00';
  return '#2e7d32';
}

export function bboxOf(map) {
  const b = map.getBounds();
  return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(',');
}

function buildingTooltip(properties) {
  const head = !properties.has_building_head ? t('building.noHead')
    : properties.units_without_head > 0 ? t('building.unitsWithoutHead') : t('building.hasHead');
  return el('div', {}, el('strong', {}, properties.name || `#${properties.id}`), el('br'),
    t('building.units', properties.units), ' · ', head);
}

/** Buildings of the viewport at high zoom; nothing at low zoom (the map never loads a whole city). */
export function buildingsLayer({ map, geoJson, status }) {
  const layer = geoJson(null, {
    className: 'building',
    style: (feature) => ({ color: buildingColour(feature.properties), weight: 1, fillOpacity: 0.5 }),
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, { className: 'building', radius: 5, color: buildingColour(feature.properties) }),
    onEachFeature: (feature, item) => item.bindTooltip(() => buildingTooltip(feature.properties)),
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

export function facilitiesLayer({ geoJson, status }) {
  const layer = geoJson(null, {
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, {
      radius: 6, color: '#6a1b9a', fillColor: feature.properties.kind === 'pharmacy' ? '#ce93d8' : '#fff', fillOpacity: 0.9,
    }),
    onEachFeature: (feature, item) => item.bindTooltip(() => el('span', {}, feature.properties.name)),
  });
  getJson('/api/facilities').then((data) => layer.addData(data)).catch((error) => status.fail(error));
  return layer;
}

export function gridsLayer({ geoJson, status }, community) {
  const layer = geoJson(null, { className: 'grid', style: { color: '#1d5c8a', weight: 2, fill: false, dashArray: '4 4' } });
  const query = community ? `?community=${community}` : '';
  layer.ready = getJson(`/api/grids${query}`).then((data) => {
    layer.addData(data);
    return layer;
  }).catch((error) => status.fail(error));
  return layer;
}
