// 登记重点人员 from a building's card: a new resident of that building, or one already registered
// there, made a key person (POST /api/persons, then POST /api/key-persons).
import { getJson, postJson } from './http.js';
import { el, fill } from './dom.js';
import { t, vocabulary } from './i18n.js';
import { checkedForm, errorSlot, field } from './forms.js';

const PHONE = /^\+?[0-9][0-9 -]{4,19}$/;
// 18 characters (the last may be X), or the old 15 digits
const ID_NUMBER = /^([0-9]{15}|[0-9]{17}[0-9Xx])$/;

function checks(list, name) {
  return el('fieldset', { class: 'checks', 'data-name': name }, el('legend', {}, t(`kp.${name}`)),
    vocabulary(list).map((entry) => el('label', { class: 'check' },
      el('input', { type: 'checkbox', name, value: entry.code }), entry.label)),
    errorSlot(name));
}

function checked(form, name) {
  return [...form.querySelectorAll(`input[type=checkbox][name="${name}"]:checked`)].map((i) => i.value);
}

/**
 * The building's key persons and a button that opens the form; `onRegistered` runs after a
 * registration is stored (to refresh the due list and the map).
 */
export async function keyPersonsOfBuilding(building, { status, onRegistered }) {
  const box = el('div', { id: 'building-key-persons', 'data-building': building.id });
  async function load() {
    const page = await getJson(`/api/persons?building=${building.id}&keyOnly=true&size=200`);
    fill(box,
      el('p', { class: 'kp-count', 'data-count': page.total }, t('kp.inBuilding', page.total)),
      el('ul', { class: 'building-kp' }, page.items.map((p) => el('li', { 'data-person': p.id },
        [p.name, p.unit, p.room].filter(Boolean).join(' ')))),
      el('button', { type: 'button', id: 'register-key-person', onclick: () => openForm() }, t('kp.register')));
  }
  async function openForm() {
    const [units, residents] = await Promise.all([
      getJson(`/api/buildings/${building.id}/units`),
      getJson(`/api/persons?building=${building.id}&size=500`)]);
    fill(box, registerForm(building, units, residents.items.filter((p) => !p.keyPerson), {
      cancel: load,
      saved: async (name) => {
        status.say(t('kp.saved', name));
        await Promise.all([load(), onRegistered()]);
      },
    }));
  }
  try {
    await load();
  } catch (error) {
    fill(box, el('p', { class: 'error' }, t('app.loadFailed', error.message)));
  }
  return box;
}

function registerForm(building, units, residents, { cancel, saved }) {
  const existing = el('select', { name: 'personId' }, el('option', { value: '' }, t('kp.newResident')),
    residents.map((p) => el('option', { value: p.id }, [p.name, p.unit, p.room].filter(Boolean).join(' '))));
  const name = el('input', { name: 'name', maxlength: 100, autocomplete: 'off' });
  const phone = el('input', { name: 'phone', type: 'tel', maxlength: 20 });
  const unit = el('select', { name: 'unitId' }, el('option', { value: '' }, '—'),
    units.map((u) => el('option', { value: u.id }, u.number)));
  const room = el('input', { name: 'room', maxlength: 50 });
  const idNumber = el('input', { name: 'idNumber', maxlength: 18, autocomplete: 'off' });
  const risk = el('select', { name: 'riskLevel' }, el('option', { value: '' }, '—'),
    vocabulary('riskLevels').map((r) => el('option', { value: r.code }, r.label)));
  const interval = el('input', { name: 'visitIntervalDays', type: 'number', min: 1, max: 366, inputmode: 'numeric' });
  const notes = el('textarea', { name: 'notes', rows: 2, maxlength: 4000 });
  const newOnly = el('div', { class: 'new-resident' },
    field(t('kp.name'), name, 'name'), field(t('kp.phone'), phone, 'phone'),
    units.length ? field(t('kp.unit'), unit, 'unitId') : null,
    field(t('kp.room'), room, 'room'), field(t('kp.idNumber'), idNumber, 'idNumber'));
  existing.addEventListener('change', () => { newOnly.hidden = existing.value !== ''; });
  const form = el('form', { id: 'key-person-form', class: 'visit-form', novalidate: true },
    el('h4', {}, t('kp.register')),
    residents.length ? field(t('kp.who'), existing, 'personId') : null,
    newOnly,
    checks('categories', 'categories'),
    field(t('kp.riskLevel'), risk, 'riskLevel'),
    checks('needs', 'needs'),
    field(t('kp.visitInterval'), interval, 'visitIntervalDays'),
    field(t('kp.notes'), notes, 'notes'),
    el('p', { class: 'form-error error', 'aria-live': 'polite' }),
    el('button', { type: 'submit' }, t('kp.save')),
    el('button', { type: 'button', onclick: cancel }, t('visit.cancel')));
  const isNew = () => existing.value === '';
  // a person stored before the profile was refused is not registered twice when the form is sent again
  let createdId = null;
  checkedForm(form, () => ({
    personId: existing.value, name: name.value.trim(), phone: phone.value.trim(), unitId: unit.value,
    room: room.value.trim(), idNumber: idNumber.value.trim(), riskLevel: risk.value, interval: interval.value.trim(),
    notes: notes.value.trim(), categories: checked(form, 'categories'), needs: checked(form, 'needs'),
  }), {
    name: (v) => (!isNew() ? null : !v.name ? t('form.required') : v.name.length > 100 ? t('form.tooLong', 100) : null),
    phone: (v) => (isNew() && v.phone && !PHONE.test(v.phone) ? t('kp.badPhone') : null),
    room: (v) => (isNew() && v.room.length > 50 ? t('form.tooLong', 50) : null),
    idNumber: (v) => (isNew() && v.idNumber && !ID_NUMBER.test(v.idNumber) ? t('kp.badIdNumber') : null),
    categories: (v) => (v.categories.length ? null : t('form.required')),
    riskLevel: (v) => (v.riskLevel ? null : t('form.required')),
    visitIntervalDays: (v) => (!v.interval || (/^[0-9]+$/.test(v.interval) && +v.interval >= 1 && +v.interval <= 366)
      ? null : t('kp.badInterval')),
    notes: (v) => (v.notes.length > 4000 ? t('form.tooLong', 4000) : null),
  }, async (v) => {
    let personId = isNew() ? createdId : Number(v.personId);
    if (personId === null) {
      personId = (await postJson('/api/persons', {
        name: v.name, phone: v.phone || null, idNumber: v.idNumber || null, buildingId: building.id,
        unitId: v.unitId ? Number(v.unitId) : null, room: v.room || null,
      })).id;
      createdId = personId;
    }
    await postJson('/api/key-persons', {
      personId, categories: v.categories, riskLevel: v.riskLevel, needs: v.needs,
      visitIntervalDays: v.interval ? Number(v.interval) : null, notes: v.notes || null,
    });
    await saved(isNew() ? v.name : existing.selectedOptions[0].textContent);
  });
  return form;
}
