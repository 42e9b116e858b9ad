// A first map: the caller's areas, their grids' buildings per viewport, and facilities.
import { csrfToken, getJson } from './http.js';

const status = document.getElementById('status');
document.getElementById('logout-csrf').value = csrfToken() ?? '';

const map = L.map('map');
const attribution = '© caregrid · © OpenStreetMap contributors';
const areasLayer = L.geoJSON(null, { style: { color: '#1d5c8a', weight: 2, fill: false } }).addTo(map);
const buildingsLayer = L.geoJSON(null, { style: { color: '#555', weight: 1, fillOpacity: 0.4 } }).addTo(map);
const facilitiesLayer = L.geoJSON(null, {
  pointToLayer: (feature, latlng) => L.circleMarker(latlng, { radius: 6, color: '#b00020' }),
  onEachFeature: (feature, layer) => layer.bindTooltip(() => {
    // names come from imported files: text, never HTML
    const span = document.createElement('span');
    span.textContent = feature.properties.name;
    return span;
  }),
}).addTo(map);
map.attributionControl.addAttribution(attribution);
L.control.layers(null, { '区域 Areas': areasLayer, '楼栋 Buildings': buildingsLayer, '设施 Facilities': facilitiesLayer }).addTo(map);

function say(text) {
  status.textContent = text;
}

function bboxParam() {
  const b = map.getBounds();
  return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(',');
}

async function loadViewport() {
  if (map.getZoom() < 15) {
    buildingsLayer.clearLayers();
    say('放大查看楼栋 Zoom in to see buildings');
    return;
  }
  say('加载中… Loading…');
  try {
    const buildings = await getJson(`/api/buildings?bbox=${bboxParam()}`);
    buildingsLayer.clearLayers().addData(buildings);
    say(`${buildings.features.length} 栋楼 buildings${buildings.truncated ? '（已截断 truncated）' : ''}`);
  } catch (error) {
    say(`加载失败 Could not load: ${error.message}`);
  }
}

async function start() {
  say('加载中… Loading…');
  try {
    const tree = await getJson('/api/areas');
    const root = tree[0];
    if (!root) {
      map.setView([30.65, 104.08], 12);
      say('没有可见区域 No area to show');
      return;
    }
    document.getElementById('area-name').textContent = root.name;
    const area = await getJson(`/api/areas/${root.code}`);
    if (area.geometry) {
      areasLayer.addData(area.geometry);
      map.fitBounds(areasLayer.getBounds());
    } else {
      map.setView([30.652, 104.084], 15);
    }
    facilitiesLayer.addData(await getJson('/api/facilities'));
    map.on('moveend', loadViewport);
    await loadViewport();
  } catch (error) {
    say(`加载失败 Could not load: ${error.message}`);
  }
}

start();
