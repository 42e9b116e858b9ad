// The dispatcher's screen: pharmacies and, once routing is wired in, requests and routes.
import { el, fill } from './dom.js';
import { t } from './i18n.js';
import { buildingsLayer, facilitiesLayer, gridsLayer } from './layers.js';

export async function startDispatcher(context) {
  const { me, status, panel, map } = context;
  const grids = gridsLayer(context, null).addTo(map);
  facilitiesLayer(context).addTo(map);
  await grids.ready;
  if (grids.getLayers().length > 0) map.fitBounds(grids.getBounds());
  else map.setView([30.65, 104.08], 13);
  buildingsLayer(context).addTo(map);
  fill(panel, el('h2', {}, t('dispatcher.title')), el('p', {}, t('dispatcher.soon')));
  status.say(me.scopeName ?? '');
}
