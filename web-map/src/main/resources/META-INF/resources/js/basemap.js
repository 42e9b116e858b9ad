// The map itself: caregrid's own data on a plain background (works offline), plus an optional
// external tile layer. Amap-style tiles (GCJ-02) are offset from WGS84 by up to a few hundred
// metres, so with them every coordinate caregrid draws is shifted the same way.
import { t } from './i18n.js';

const A = 6378245.0; // Krasovsky 1940 semi-major axis, the basis of GCJ-02
const EE = 0.00669342162296594323;

function outsideChina(lng, lat) {
  return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function shiftLat(x, y) {
  let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return r;
}

function shiftLng(x, y) {
  let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return r;
}

/** WGS84 → GCJ-02, for drawing over Amap-style tiles. */
export function wgs84ToGcj02(lng, lat) {
  if (outsideChina(lng, lat)) return [lng, lat];
  let dLat = shiftLat(lng - 105.0, lat - 35.0);
  let dLng = shiftLng(lng - 105.0, lat - 35.0);
  const radLat = (lat / 180.0) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  dLng = (dLng * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lng + dLng, lat + dLat];
}

export function createMap(mapConfig) {
  // without a tile layer nothing sets the zoom range, and marker clustering needs one
  const map = L.map('map', { zoomControl: true, minZoom: 3, maxZoom: 19 });
  const shift = mapConfig && mapConfig.tileCrs === 'gcj02';
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  map.attributionControl.addAttribution('© caregrid · © OpenStreetMap contributors');
  if (mapConfig && mapConfig.tileUrl) {
    L.tileLayer(mapConfig.tileUrl, { maxZoom: 19, attribution: mapConfig.tileAttribution || '' }).addTo(map);
  }
  /** [lng, lat] in WGS84 → the LatLng to draw. */
  const toLatLng = (coords) => {
    const [lng, lat] = shift ? wgs84ToGcj02(coords[0], coords[1]) : coords;
    return L.latLng(lat, lng);
  };
  /** L.geoJSON with caregrid's coordinate handling. */
  const geoJson = (data, options = {}) => L.geoJSON(data, { ...options, coordsToLatLng: toLatLng });
  return { map, toLatLng, geoJson };
}

/** The status line: loading indicator, counts, errors in words. */
export function statusLine(element) {
  return {
    busy(text = t('app.loading')) {
      element.textContent = text;
      element.classList.add('busy');
      element.classList.remove('failed');
    },
    say(text) {
      element.textContent = text;
      element.classList.remove('busy', 'failed');
    },
    fail(error) {
      console.error(error);
      element.textContent = t('app.loadFailed', (error && error.message) || String(error));
      element.classList.remove('busy');
      element.classList.add('failed');
    },
  };
}
