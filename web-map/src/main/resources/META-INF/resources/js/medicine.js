// 送药申请 from a person's card: the form (items, urgency, window, pharmacy) and the person's open
// requests, each with a cancel that asks for a reason.
import { getJson, postJson, sendJson } from './http.js';
import { el, fill } from './dom.js';
import { t, term, vocabulary } from './i18n.js';
import { checkedForm, field } from './forms.js';

const PHARMACY_KINDS = 'pharmacy,clinic,village_clinic,community_health_centre';

/** A datetime-local value ("2026-12-01T09:30") as an offset time the server takes, in the browser's zone. */
function offsetTime(local) {
  return local ? new Date(local).toISOString() : null;
}

function when(request) {
  if (!request.windowStart && !request.windowEnd) return '';
  const f = (s) => (s ? new Date(s).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' }) : '…');
  return `${f(request.windowStart)} – ${f(request.windowEnd)}`;
}

/** The person's open requests, each with a cancel; `changed` runs after a cancel. */
export async function openRequests(person) {
  const box = el('div', { id: 'delivery-requests' });
  async function load() {
    const requests = await getJson(`/api/delivery-requests?keyPerson=${person.id}&open=true`);
    fill(box, el('h4', {}, t('med.open', requests.length)),
      el('ul', { class: 'requests' }, requests.map((r) => el('li', { 'data-request': r.id, class: r.urgency },
        el('span', { class: 'request-items' }, r.items), ' ',
        el('span', { class: 'request-urgency' }, term('deliveryUrgencies', r.urgency)), ' ',
        el('span', {}, term('deliveryStatuses', r.status)), ' ', when(r), ' ',
        el('button', { type: 'button', class: 'link cancel-request', onclick: (e) => cancelForm(r, e.target.parentElement) },
          t('med.cancel'))))));
  }
  function cancelForm(request, item) {
    const reason = el('input', { name: 'reason', maxlength: 500 });
    const form = el('form', { class: 'cancel-form', novalidate: true },
      field(t('med.cancelReason'), reason, 'reason'),
      el('p', { class: 'form-error error', 'aria-live': 'polite' }),
      el('button', { type: 'submit' }, t('med.cancelSave')),
      el('button', { type: 'button', onclick: () => form.remove() }, t('visit.cancel')));
    checkedForm(form, () => ({ reason: reason.value.trim() }), {
      reason: (v) => (!v.reason ? t('form.required') : v.reason.length > 500 ? t('form.tooLong', 500) : null),
    }, async (v) => {
      await sendJson('PATCH', `/api/delivery-requests/${request.id}`, { status: 'cancelled', reason: v.reason }, request.version);
      await load();
    });
    item.append(form);
    reason.focus();
  }
  box.reload = load;
  try {
    await load();
  } catch (error) {
    fill(box, el('p', { class: 'error' }, t('app.loadFailed', error.message)));
  }
  return box;
}

/**
 * The request form for one key person; `prefill` ({ items }) comes from a visit that found the need.
 * `done` runs after the request is stored, `cancel` when the user leaves the form.
 */
export async function requestForm(person, { prefill = {}, done, cancel }) {
  let pharmacies = [];
  try {
    pharmacies = (await getJson(`/api/facilities?type=${PHARMACY_KINDS}&limit=500`)).features;
  } catch (ignored) {
    // no list of pharmacies: the dispatcher chooses one
  }
  const items = el('textarea', { name: 'items', rows: 2, maxlength: 500 }, prefill.items ?? '');
  const urgency = el('select', { name: 'urgency' }, vocabulary('deliveryUrgencies').map((u) => el('option', { value: u.code }, u.label)));
  const start = el('input', { name: 'windowStart', type: 'datetime-local' });
  const end = el('input', { name: 'windowEnd', type: 'datetime-local' });
  const facility = el('select', { name: 'facilityId' }, el('option', { value: '' }, t('med.anyPharmacy')),
    pharmacies.map((f) => el('option', { value: f.properties.id ?? f.id }, f.properties.name ?? `#${f.id}`)));
  const form = el('form', { id: 'delivery-form', class: 'visit-form', novalidate: true },
    el('h4', {}, t('med.title')),
    field(t('med.items'), items, 'items'),
    field(t('med.urgency'), urgency, 'urgency'),
    field(t('med.windowStart'), start, 'windowStart'),
    field(t('med.windowEnd'), end, 'windowEnd'),
    field(t('med.facility'), facility, 'facilityId'),
    el('p', { class: 'form-error error', 'aria-live': 'polite' }),
    el('button', { type: 'submit' }, t('med.save')),
    el('button', { type: 'button', onclick: cancel }, t('visit.cancel')));
  checkedForm(form, () => ({
    items: items.value.trim(), urgency: urgency.value, start: start.value, end: end.value, facility: facility.value,
  }), {
    items: (v) => (!v.items ? t('form.required') : v.items.length > 500 ? t('form.tooLong', 500) : null),
    urgency: (v) => (v.urgency ? null : t('form.required')),
    windowEnd: (v) => (v.start && v.end && v.end <= v.start ? t('med.endBeforeStart') : null),
  }, async (v) => {
    const stored = await postJson('/api/delivery-requests', {
      keyPersonId: Number(person.id), items: v.items, urgency: v.urgency,
      windowStart: offsetTime(v.start), windowEnd: offsetTime(v.end), facilityId: v.facility ? Number(v.facility) : null,
    });
    await done(stored);
  });
  return form;
}
