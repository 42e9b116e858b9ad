// The planner's what-if panel: the gaps of the place shown that an appointment would close, a candidate
// picked for some of them, what the figures would become (POST /api/coverage/what-if, which measures it
// in a transaction it rolls back), and "appoint these" to make it so. Planners never see a name: the
// suggestions and the drill-down answer them without, and the panel shows ranks, reasons and distances.
import { getJson, postJson } from './http.js';
import { el, fill } from './dom.js';
import { t, term } from './i18n.js';

/** The metrics an appointment closes a gap of: the role it needs and the id field naming the gap. */
const APPOINTABLE = {
  'building-heads': { role: 'building_head', field: 'buildingId' },
  'unit-heads': { role: 'unit_head', field: 'unitId' },
  responsibility: { role: 'responsible', field: 'keyPersonId' },
};
const GAPS_SHOWN = 20;
const CANDIDATES = 5;

function percent(rate) {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** Only planners and administrators appoint from the coverage screen. */
export function mayPlanAppointments(me) {
  return me.roles.includes('PLANNER') || me.roles.includes('ADMIN');
}

/**
 * The panel. `place()` gives the summary shown ({ level, code, gridId, name }) and its query
 * ("grid=1" or "area=…"); `metric()` the metric chosen on the screen; `refresh()` reloads the
 * choropleth and table after an appointment.
 */
export function whatIfPanel({ status }, metrics, { place, metric, refresh }) {
  const choices = metrics.filter((m) => APPOINTABLE[m.id]);
  const select = el('select', { id: 'whatif-metric', 'aria-label': t('whatif.metric') },
    choices.map((m) => el('option', { value: m.id }, m.name)));
  const open = el('button', { type: 'button', id: 'whatif-open' }, t('whatif.open'));
  const note = el('p', { id: 'whatif-note', class: 'muted' });
  const gaps = el('table', { id: 'whatif-gaps', class: 'gap-table' });
  const result = el('table', { id: 'whatif-result', class: 'gap-table' });
  const appoint = el('button', { type: 'button', id: 'whatif-appoint', disabled: true }, t('whatif.appoint'));
  const message = el('p', { id: 'whatif-error', class: 'error', role: 'alert' });
  const control = el('section', { id: 'whatif', class: 'whatif' }, el('h3', {}, t('whatif.title')),
    el('label', {}, `${t('whatif.metric')} `, select), ' ', open, note, gaps, result, appoint, message);
  // the picks of the gaps listed: item id → person id
  let picks = new Map();
  let shown = null;
  let asked = 0;

  async function load() {
    const chosen = select.value;
    const where = place();
    if (!where) return;
    shown = { metric: chosen, query: where.query, place: where };
    picks = new Map();
    fill(gaps);
    fill(result);
    fill(message);
    appoint.disabled = true;
    note.className = 'muted busy';
    note.textContent = t('app.loading');
    let page;
    try {
      page = await getJson(`/api/coverage/${chosen}?${where.query}&status=gap&size=${GAPS_SHOWN}`);
    } catch (error) {
      // a planner gets counts, not rows, of a metric of persons: the server says so
      note.className = 'error';
      note.textContent = error.message;
      return;
    }
    note.className = 'muted';
    note.dataset.total = String(page.total);
    note.textContent = page.total === 0 ? t('whatif.noGaps', where.name)
      : t('whatif.gaps', page.total, where.name, Math.min(page.total, GAPS_SHOWN));
    const rows = page.items.map((item) => gapRow(chosen, item));
    fill(gaps, el('thead', {}, el('tr', {}, [t('whatif.gap'), t('whatif.place'), t('whatif.candidate')]
      .map((text) => el('th', { scope: 'col' }, text)))), el('tbody', {}, rows.map((r) => r.row)));
    gaps.dataset.count = String(rows.length);
    await Promise.all(rows.map((r) => r.candidates()));
  }

  function gapRow(metricId, item) {
    const choice = el('select', { class: 'whatif-candidate', 'data-item': item.id, 'aria-label': t('whatif.candidate') },
      el('option', { value: '' }, t('app.loading')));
    choice.addEventListener('change', () => {
      if (choice.value) picks.set(item.id, Number(choice.value));
      else picks.delete(item.id);
      predict();
    });
    const row = el('tr', { 'data-item': item.id },
      el('td', {}, item.name ?? `#${item.id}`), el('td', {}, item.place ?? ''), el('td', {}, choice));
    return {
      row,
      async candidates() {
        try {
          const found = await getJson(`/api/coverage/${metricId}/suggestions?item=${item.id}&limit=${CANDIDATES}`);
          // a name only where the server gives one (administrators); planners see rank, reason, distance, load
          fill(choice, el('option', { value: '' }, found.length ? t('whatif.none') : t('suggest.none')),
            found.map((c) => el('option', { value: c.personId }, [c.name, t('whatif.rank', c.rank), t(`suggest.${c.reason}`),
              t('suggest.metres', Math.round(c.distanceM)), t('whatif.load', c.currentLoad)].filter(Boolean).join(' · '))));
          choice.dataset.count = String(found.length);
        } catch (error) {
          fill(choice, el('option', { value: '' }, error.message));
          choice.dataset.count = '0';
        }
      },
    };
  }

  function appointments() {
    const { role, field } = APPOINTABLE[shown.metric];
    return [...picks].map(([item, personId]) => ({ role, personId, [field]: Number(item) }));
  }

  function placeBody() {
    const where = shown.place;
    return where.level === 'grid' ? { grid: where.gridId } : { area: where.code };
  }

  /** What the picks would do; only the latest question's answer is shown. */
  async function predict() {
    const mine = ++asked;
    fill(message);
    appoint.disabled = picks.size === 0;
    if (picks.size === 0) {
      fill(result);
      return;
    }
    result.dataset.pending = 'true';
    try {
      const answer = await postJson('/api/coverage/what-if', { ...placeBody(), appointments: appointments() });
      if (mine !== asked) return;
      showAnswer(answer);
    } catch (error) {
      if (mine !== asked) return;
      fill(result);
      message.textContent = error.message;
    } finally {
      if (mine === asked) delete result.dataset.pending;
    }
  }

  function showAnswer(answer) {
    const placeName = shown.place.name;
    fill(result, el('caption', {}, t('whatif.prediction', placeName, term('assignmentRoles', APPOINTABLE[shown.metric].role), picks.size)),
      el('thead', {}, el('tr', {}, [t('planner.metric'), t('whatif.level'), t('whatif.gapsBeforeAfter'),
        t('whatif.rateBeforeAfter'), t('whatif.closed')].map((text) => el('th', { scope: 'col' }, text)))),
      el('tbody', {}, answer.changes.map((c) => el('tr', {
        'data-metric': c.metric, 'data-before-gaps': c.before.gaps, 'data-after-gaps': c.after.gaps,
      }, el('td', {}, c.name), el('td', {}, t(`level.${answer.level}`)),
      el('td', {}, `${c.before.gaps} → ${c.after.gaps}`),
      el('td', {}, `${percent(c.before.rate)} → ${percent(c.after.rate)}`),
      el('td', {}, c.gapsClosed)))));
  }

  appoint.addEventListener('click', async () => {
    const wanted = appointments();
    if (wanted.length === 0) return;
    appoint.disabled = true;
    fill(message);
    let made = 0;
    try {
      // one by one: a refusal names the appointment it concerns, and those before it stand
      for (const a of wanted) {
        await postJson('/api/assignments', a);
        made++;
      }
    } catch (error) {
      message.textContent = t('whatif.failed', made, wanted.length, error.message);
    }
    if (made > 0) status.say(t('whatif.appointed', made));
    await refresh();
    await load();
  });

  open.addEventListener('click', () => load());

  return {
    control,
    /** The screen shows another place or metric: unless the list shown is of the same place, start afresh. */
    placeChanged() {
      if (shown && shown.query === place()?.query) return;
      if (APPOINTABLE[metric()]) select.value = metric();
      shown = null;
      picks = new Map();
      fill(gaps);
      fill(result);
      fill(note);
      fill(message);
      appoint.disabled = true;
    },
  };
}
