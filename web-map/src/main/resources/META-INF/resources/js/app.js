// Entry point: who is logged in decides which screen opens.
import { createMap, statusLine } from './basemap.js';
import { roadsLayer } from './layers.js';
import { csrfToken, getJson } from './http.js';
import { loadMessages, loadVocabulary, switchLanguage, translatePage } from './i18n.js';
import { startGridWorker } from './gridworker.js';
import { startPlanner } from './planner.js';
import { startDispatcher } from './dispatcher.js';
import { startAdmin } from './admin.js';
import { startVolunteer } from './volunteer.js';
import { forgetPersonalData, registerWorker } from './offline.js';

async function start() {
  await loadMessages();
  translatePage();
  document.getElementById('logout-csrf').value = csrfToken() ?? '';
  // the volunteer's route (households' names and phones) does not outlive the session on a shared phone
  const logoutForm = document.getElementById('logout-form');
  logoutForm.addEventListener('submit', (event) => {
    event.preventDefault();
    forgetPersonalData().finally(() => logoutForm.submit());
  });
  document.getElementById('language').addEventListener('click', switchLanguage);
  const status = statusLine(document.getElementById('status'));
  status.busy();
  try {
    const [me] = await Promise.all([getJson('/api/me'), loadVocabulary()]);
    document.getElementById('user-name').textContent = me.displayName || me.username;
    document.getElementById('place-name').textContent = me.scopeName || '';
    document.body.dataset.role = me.roles[0];
    registerWorker(me.map?.tileUrl);
    const mapView = createMap(me.map);
    const context = { me, status, panel: document.getElementById('panel'), ...mapView };
    // the map's zoom on its element: tests (and styles) can tell which level is shown
    mapView.map.on('zoomend moveend', () => { mapView.map.getContainer().dataset.zoom = String(mapView.map.getZoom()); });
    context.roads = roadsLayer(context).addTo(mapView.map);
    if (me.roles.includes('ADMIN')) {
      await startAdmin(context);
    } else if (me.roles.includes('GRID_WORKER')) {
      await startGridWorker(context);
    } else if (me.roles.includes('VOLUNTEER')) {
      // today's delivery route first; the key persons they look after are one tap away
      await startVolunteer(context);
    } else if (me.roles.includes('DISPATCHER')) {
      await startDispatcher(context);
    } else {
      await startPlanner(context);
    }
  } catch (error) {
    status.fail(error);
  }
}

start();
