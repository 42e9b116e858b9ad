// The planner's screen: a choropleth of any metric at any level, its legend and target, the table
// beside it (sortable), a chart, exports, and click-to-drill-down.
import { getJson } from './http.js';
import { el, fill } from './dom.js';
import { t } from './i18n.js';
import { buildingsLayer, buildingTilesLayer, facilitiesLayer, gridTilesLayer, tracePolygon, vectorTilesLayer } from './layers.js';
import { mayPlanAppointments, whatIfPanel } from './whatif.js';

/** Classes relative to the target: met, within 80 %, within 50 %, below; grey for nothing to count. */
export function rateColour(rate, target) {
  if (rate === null || rate === undefined) return '#bdbdbd';
  if (rate >= target - 1e-9) return '#2e7d32';
  if (rate >= 0.8 * target) return '#fdd835';
  if (rate >= 0.5 * target) return '#fb8c00';
  return '#c62828';
}

/** One key for a place of the summary's GeoJSON and of the coverage tiles: a grid by its id, an area by its code. */
function placeKey(gridId, code) {
  return gridId !== null && gridId !== undefined ? `grid:${gridId}` : code;
}

/** A metric's figure among a place's GeoJSON properties: building-heads, 'Rate' → buildingHeadsRate. */
function figure(properties, metricId, name) {
  return properties[`${metricId.replace(/-([a-z])/g, (match, letter) => letter.toUpperCase())}${name}`];
}

/** The kinds of item that lie in buildings: their metrics list the buildings behind a figure. */
const BUILDING_ITEMS = ['building', 'unit', 'person', 'need'];

/** Every role but the planner's reads persons' names (the access policy's READ_NAMES). */
function mayListPersons(me) {
  return me.roles.some((role) => role !== 'PLANNER');
}

function percent(rate) {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;
}

export async function startPlanner(context) {
  const { status, panel, map, geoJson } = context;
  const metrics = await getJson('/api/coverage/metrics');
  const state = { metric: metrics[0].id, place: null, summary: null, sort: { key: 'name', ascending: true },
    level: null, shown: new Set() };

  const choropleth = geoJson(null, {
    className: 'choropleth',
    style: (feature) => {
      const p = feature.properties;
      return { color: '#37474f', weight: 1, fillOpacity: 0.6, fillColor: rateColour(figure(p, state.metric, 'Rate'), figure(p, state.metric, 'Target')) };
    },
    onEachFeature: (feature, layer) => {
      layer.on('click', () => drill(feature.properties));
      layer.bindTooltip(() => {
        const p = feature.properties;
        return el('div', {}, el('strong', {}, p.name), el('br'), `${percent(figure(p, state.metric, 'Rate'))} · ${t('planner.gaps')} ${figure(p, state.metric, 'Gaps')}`);
      });
    },
  }).addTo(map);
  const buildings = buildingsLayer(context);
  // a street or district at a glance: its buildings from vector tiles, under the choropleth
  const buildingTiles = buildingTilesLayer(context).addTo(map);
  const gridTiles = gridTilesLayer(context).addTo(map);
  // zoomed out beyond the place: the places around it, at the level shown, in the same colours, from the
  // coverage tiles; the places shown come as GeoJSON above them (with their tooltips and clicks) and are skipped
  const coverageTiles = vectorTilesLayer(context, {
    collection: 'coverage', draw: drawCoverage, minZoom: 8, maxZoom: 15, className: 'coverage-tiles', zIndex: 2,
    counters: { features: 'tileCoverage', keys: 'coverageTileKeys', loaded: 'coverageTilesLoaded' },
  }).addTo(map);
  const facilities = facilitiesLayer(context);
  const access = healthAccess(context, () => (choropleth.getLayers().length > 0 && choropleth.getBounds().isValid()
    ? choropleth.getBounds() : map.getBounds()), isoMinutes(metrics));
  L.control.layers(null, {
    [t('layer.choropleth')]: choropleth, [t('layer.buildings')]: buildings,
    [t('layer.buildingTiles')]: buildingTiles, [t('layer.gridTiles')]: gridTiles,
    [t('layer.coverageTiles')]: coverageTiles, [t('layer.facilities')]: facilities,
    [t('layer.roads')]: context.roads, [t('layer.isochrones')]: access.areas, [t('layer.outside')]: access.outside,
  }).addTo(map);

  const select = el('select', { id: 'metric', 'aria-label': t('planner.metric') },
    metrics.map((m) => el('option', { value: m.id }, m.name)));
  const up = el('button', { type: 'button', id: 'up' }, t('planner.up'));
  const heading = el('h2', { id: 'place-heading' });
  const legend = el('div', { id: 'legend', class: 'legend' });
  const table = el('table', { id: 'gap-table', class: 'gap-table' });
  const chartCanvas = el('canvas', { id: 'chart', height: 180 });
  const exports = el('p', { class: 'exports' });
  const whatIf = mayPlanAppointments(context.me) ? whatIfPanel(context, metrics, {
    place: () => (state.summary ? { ...state.summary, query: state.query } : null),
    metric: () => state.metric,
    refresh: () => show(state.query),
  }) : null;
  fill(panel, heading, el('label', {}, `${t('planner.metric')} `, select), up, legend, access.control, table,
    whatIf?.control, el('div', { class: 'chart-box' }, chartCanvas), exports);
  let chart = null;

  select.addEventListener('change', () => {
    state.metric = select.value;
    render();
    whatIf?.placeChanged();
  });
  up.addEventListener('click', () => {
    const code = state.summary?.code;
    if (!code || state.summary.level === 'city') return;
    if (state.summary.level === 'grid') {
      show(`area=${code.slice(0, 12)}`);
      return;
    }
    const parent = { district: `${code.slice(0, 4)}00000000`, street: `${code.slice(0, 6)}000000`,
      community: `${code.slice(0, 9)}000` }[state.summary.level];
    show(`area=${parent}`);
  });

  function drill(properties) {
    if (properties.level === 'grid') show(`grid=${properties.gridId}`);
    else if (properties.code !== state.summary?.code) show(`area=${properties.code}`);
  }

  async function show(query) {
    status.busy();
    try {
      // one computation: the GeoJSON of the places carries the summary they map
      const features = await getJson(`/api/coverage/summary?${query ? `${query}&` : ''}format=geojson`);
      const { summary } = features;
      state.summary = summary;
      state.query = query || (summary.level === 'grid' ? `grid=${summary.gridId}` : `area=${summary.code}`);
      state.level = features.features[0]?.properties.level ?? null;
      state.shown = new Set(features.features.map((f) => placeKey(f.properties.gridId, f.properties.code)));
      choropleth.clearLayers().addData(features);
      if (choropleth.getLayers().length > 0 && choropleth.getBounds().isValid()) map.fitBounds(choropleth.getBounds());
      else if (!map.getZoom()) map.setView([30.65, 104.08], 13);
      render();
      whatIf?.placeChanged();
      status.say(summary.name);
      access.refresh();
    } catch (error) {
      status.fail(error);
      if (!map.getZoom()) map.setView([30.65, 104.08], 13);
    }
  }

  function rows() {
    const metric = state.summary.metrics.find((m) => m.id === state.metric);
    const places = metric.children.length > 0 ? metric.children : [metric.area];
    const { key, ascending } = state.sort;
    const sorted = [...places].sort((a, b) => {
      const x = a[key] ?? -1;
      const y = b[key] ?? -1;
      return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
    });
    return { metric, places: sorted };
  }

  /** The places around the ones shown, at their level, in the selected metric's colours; their ids. */
  function drawCoverage(pen, layer, scale) {
    const metric = state.metric.replace(/-/g, '_');
    const ids = [];
    for (const feature of layer.features) {
      const p = feature.properties;
      if (feature.type !== 'Polygon' || p.level !== state.level || state.shown.has(placeKey(p.grid_id, p.code))) continue;
      tracePolygon(pen, feature, scale);
      pen.globalAlpha = 0.6;
      pen.fillStyle = rateColour(p[`${metric}_rate`], p[`${metric}_target`]);
      pen.fill('evenodd');
      pen.globalAlpha = 1;
      pen.strokeStyle = '#37474f';
      pen.lineWidth = 1;
      pen.stroke();
      ids.push(p.id);
    }
    return ids;
  }

  function render() {
    if (!state.summary) return;
    coverageTiles.repaint();
    choropleth.setStyle((feature) => ({
      color: '#37474f', weight: 1, fillOpacity: 0.6,
      fillColor: rateColour(figure(feature.properties, state.metric, 'Rate'), figure(feature.properties, state.metric, 'Target')),
    }));
    const { metric, places } = rows();
    heading.textContent = state.summary.name;
    up.hidden = state.summary.level === 'city';
    fill(legend, 
      el('strong', {}, metric.name), ' ', t('planner.target', percent(metric.target)), el('br'),
      el('span', { class: 'muted' }, metric.itemTarget),
      metric.source !== 'count' && metric.source !== 'network' ? el('span', { class: 'muted' }, ` · ${t('planner.estimate')}`) : null,
      el('br'),
      ...[['#2e7d32', `≥ ${percent(metric.target)}`], ['#fdd835', '≥ 80%'], ['#fb8c00', '≥ 50%'], ['#c62828', '< 50%'],
        ['#bdbdbd', t('planner.noItems')]].map(([colour, text]) =>
        el('span', { class: 'legend-item' }, el('i', { style: `background:${colour}` }), text)));
    const columns = [['name', t('planner.place')], ['total', t('planner.total')], ['ok', t('planner.ok')],
      ['gaps', t('planner.gaps')], ['rate', t('planner.rate')]];
    const header = el('tr', {}, columns.map(([key, label]) => el('th', {
      scope: 'col', 'data-key': key, tabindex: 0,
      onclick: () => {
        state.sort = { key, ascending: state.sort.key === key ? !state.sort.ascending : true };
        render();
      },
    }, label + (state.sort.key === key ? (state.sort.ascending ? ' ▲' : ' ▼') : ''))));
    const body = places.map((p) => el('tr', { 'data-code': p.gridId ? `grid:${p.gridId}` : p.code, 'data-rate': p.rate ?? '', 'data-gaps': p.gaps },
      el('td', {}, el('button', { type: 'button', class: 'link', onclick: () => drill({ ...p, gridId: p.gridId }) }, p.name ?? p.code)),
      el('td', {}, p.total), el('td', {}, p.ok), el('td', {}, p.gaps), el('td', {}, percent(p.rate))));
    fill(table, el('thead', {}, header), el('tbody', {}, body));
    const base = `/api/coverage/summary?${state.query}`;
    const list = `/api/coverage/${state.metric}`;
    // the lists behind the figure, each the whole list as a file (streamed by the server, not one page)
    const files = (kind, href) => ['csv', 'xlsx'].flatMap((format, i) => [i > 0 ? ' · ' : null,
      el('a', { href: `${href}?${state.query}&format=${format}`, download: '', 'data-export': `${kind}-${format}` }, format.toUpperCase())]);
    fill(exports, `${t('planner.export')}: `,
      el('a', { href: `${base}&format=csv`, download: '' }, 'CSV'), ' · ',
      el('a', { href: `${base}&format=xlsx`, download: '' }, 'XLSX'), ' · ',
      el('a', { href: `${base}&format=geojson`, download: '' }, 'GeoJSON'),
      el('br'), `${metric.name}: `,
      BUILDING_ITEMS.includes(metric.itemKind) ? [`${t('planner.buildingList')} `, ...files('buildings', `${list}/buildings`)] : null,
      // planners get counts per building, never a row per person
      metric.itemKind !== 'person' || mayListPersons(context.me)
        ? [BUILDING_ITEMS.includes(metric.itemKind) ? ' · ' : null, `${t('planner.itemList')} `, ...files('list', list)] : null);
    if (window.Chart) {
      if (chart) chart.destroy();
      chart = new window.Chart(chartCanvas, {
        type: 'bar',
        data: {
          labels: places.map((p) => p.name ?? p.code),
          datasets: [{ label: metric.name, data: places.map((p) => (p.rate === null ? 0 : p.rate * 100)),
            backgroundColor: places.map((p) => rateColour(p.rate, metric.target)) }],
        },
        options: { animation: false, scales: { y: { min: 0, max: 100 } }, plugins: { legend: { display: false } } },
      });
    }
  }

  await show(null);
}

// darkest for the nearest limit
const ISO_COLOURS = ['#1b5e20', '#43a047', '#a5d6a7'];

/** Three limits up to the configured walk (caregrid.coverage.pharmacy-max-walk-minutes): 5 / 10 / 15 by default. */
function isoMinutes(metrics) {
  const largest = metrics.find((m) => m.id === 'pharmacy-access')?.threshold ?? 15;
  return [1, 2, 3].map((step) => Math.max(1, Math.round((largest * step) / 3)));
}

function bboxText(bounds) {
  return [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()].map((v) => v.toFixed(6)).join(',');
}

/**
 * Walking service areas (by default 5 / 10 / 15 min) of the health facilities of the area shown, one merged
 * polygon per limit, and the buildings whose key persons live beyond the largest limit: counts per
 * building only, never names. Off until asked for: each facility costs one search per limit.
 */
function healthAccess({ map, geoJson }, areaShown, limits) {
  const areas = geoJson(null, {
    style: (feature) => {
      const colour = ISO_COLOURS[limits.indexOf(feature.properties.minutes)] || '#66bb6a';
      return { className: `isochrone isochrone-${feature.properties.minutes}`, color: colour, weight: 1, fillColor: colour, fillOpacity: 0.22 };
    },
    onEachFeature: (feature, item) => item.bindTooltip(() => el('span', {}, t('iso.within', feature.properties.minutes))),
  });
  const outside = geoJson(null, {
    pointToLayer: (feature, latlng) => L.marker(latlng, {
      icon: L.divIcon({
        className: 'outside-marker',
        // an element, not an HTML string: Leaflet appends it as it is
        html: el('span', { 'data-count': feature.properties.outside }, String(feature.properties.outside)),
        iconSize: [26, 26],
      }),
    }),
    onEachFeature: (feature, item) => item.bindTooltip(() => el('span', {},
      t('iso.buildingOutside', feature.properties.outside, limits[limits.length - 1]),
      feature.properties.unreachable > 0 ? ` · ${t('iso.unreachable', feature.properties.unreachable)}` : '')),
  });
  const button = el('button', { type: 'button', id: 'isochrones', 'aria-pressed': 'false' }, t('iso.show', limits.join(' / ')));
  const note = el('p', { id: 'iso-status', class: 'muted' });
  const key = el('div', { class: 'legend', hidden: true },
    limits.map((m, i) => el('span', { class: 'legend-item' }, el('i', { style: `background:${ISO_COLOURS[i]}` }), t('iso.minutes', m))),
    el('span', { class: 'legend-item' }, el('i', { class: 'outside-swatch' }), t('iso.outsideKey', limits[limits.length - 1])));
  const control = el('section', { class: 'iso-control', id: 'iso-control' }, el('h3', {}, t('iso.title')), button, key, note);
  let on = false;
  let request = 0;

  async function load() {
    const mine = ++request;
    const bbox = bboxText(areaShown());
    note.className = 'muted busy';
    note.textContent = t('iso.loading');
    delete note.dataset.buildings;
    try {
      const minutes = limits.join(',');
      const largest = limits[limits.length - 1];
      const [service, homes] = await Promise.all([
        getJson(`/api/routing/service-areas?bbox=${bbox}&minutes=${minutes}`),
        getJson(`/api/routing/outside-buildings?bbox=${bbox}&minutes=${largest}`)]);
      if (mine !== request || !on) return;
      areas.clearLayers().addData(service);
      outside.clearLayers().addData(homes);
      if (!map.hasLayer(areas)) areas.addTo(map);
      if (!map.hasLayer(outside)) outside.addTo(map);
      const persons = homes.features.reduce((sum, f) => sum + f.properties.outside, 0);
      note.className = 'muted';
      note.dataset.bbox = bbox;
      note.dataset.buildings = String(homes.features.length);
      note.dataset.persons = String(persons);
      note.textContent = `${t('iso.facilities', service.facilities)} · ${t('iso.summary', persons, homes.features.length, largest)}`;
      key.hidden = false;
    } catch (error) {
      if (mine !== request) return;
      areas.clearLayers();
      outside.clearLayers();
      note.className = 'error';
      note.dataset.error = String(error.status || '');
      note.textContent = error.status === 503 ? t('iso.notReady', error.message) : t('iso.failed', error.message);
    }
  }

  button.addEventListener('click', () => {
    on = !on;
    button.setAttribute('aria-pressed', String(on));
    button.textContent = on ? t('iso.hide') : t('iso.show', limits.join(' / '));
    if (on) {
      load();
    } else {
      request++;
      areas.remove();
      outside.remove();
      key.hidden = true;
      note.textContent = '';
      note.className = 'muted';
    }
  });

  return { areas, outside, control, refresh: () => { if (on) load(); } };
}
