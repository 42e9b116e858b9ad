// 需求清单 (the needs list): the scope's needs still waiting (open, taken, escalated), urgent first, with
// the person as the server masks them and the days waiting; each need's supplies as the server ranks them
// (places left this week, then the walk) with 接单 for one of them, 办结 and 上报 with a note. Every move
// sends the version the row was read at (If-Match) and redraws the row from the answer.
import { getJson, sendJson } from './http.js';
import { el, fill } from './dom.js';
import { t, term } from './i18n.js';
import { checkedForm, field } from './forms.js';

/** The statuses listed: a done need leaves the list on the next load. */
const WAITING = ['open', 'taken', 'escalated'];
const PAGE = 200;
/** The server's limit on a need's note. */
const MAX_NOTE = 2000;

/** The server's order: urgent first, then the longest waiting. */
function byUrgencyThenAge(a, b) {
  return (b.urgency === 'urgent') - (a.urgency === 'urgent') || a.since.localeCompare(b.since) || a.id - b.id;
}

function problemText(error) {
  return error.errors?.length ? error.errors.map((e) => e.message).join('；') : error.message;
}

export function needsPanel() {
  const summary = el('p', { id: 'needs-summary', class: 'summary' });
  const list = el('ol', { id: 'needs', class: 'kp-list' });
  const section = el('details', { id: 'needs-list', class: 'panel-section' },
    el('summary', {}, t('needs.title')), summary, list);

  async function load() {
    try {
      const pages = await Promise.all(WAITING.map((s) => getJson(`/api/needs?status=${s}&size=${PAGE}`)));
      const needs = pages.flatMap((p) => p.items).sort(byUrgencyThenAge);
      const total = pages.reduce((sum, p) => sum + p.total, 0);
      summary.textContent = t('needs.count', total);
      summary.dataset.count = String(total);
      fill(list, needs.map((need) => row(need)));
    } catch (error) {
      fill(list, el('li', { class: 'error' }, t('app.loadFailed', error.message)));
    }
  }

  /** One need's row; it redraws itself after each move from the need the server answers. */
  function row(need) {
    const item = el('li', { 'data-need': need.id });
    const extra = el('div', { class: 'need-extra' });
    const message = el('p', { class: 'error', role: 'alert' });

    async function move(action, body) {
      message.textContent = '';
      try {
        const { body: changed } = await sendJson('POST', `/api/needs/${need.id}/${action}`, body, need.version);
        item.replaceWith(row(changed));
      } catch (error) {
        message.textContent = problemText(error);
      }
    }

    async function showMatches() {
      fill(extra, el('p', {}, t('app.loading')));
      try {
        const ranking = await getJson(`/api/needs/${need.id}/matches`);
        fill(extra, ranking.matches.length === 0 ? el('p', { class: 'muted' }, t('needs.noMatches')) : el('ol', { class: 'matches' },
          ranking.matches.map((m) => el('li', { 'data-supply': m.supplyId, 'data-rank': m.rank },
            el('span', { class: 'supply-name' }, m.providerName ?? `#${m.supplyId}`), ' ',
            el('span', {}, term('supplyProviders', m.providerKind)), ' ',
            el('span', { class: 'supply-remaining' }, t('needs.remaining', m.remaining, m.capacityPerWeek)), ' ',
            m.distanceM === null || m.distanceM === undefined ? null
              : el('span', {}, t(m.estimate ? 'needs.distanceEstimate' : 'needs.distance', Math.round(m.distanceM))), ' ',
            m.times ? el('span', { class: 'muted' }, m.times) : null, ' ',
            el('button', { type: 'button', class: 'take', disabled: m.remaining <= 0,
              onclick: () => move('take', { supplyId: m.supplyId }) }, t('needs.take'))))));
      } catch (error) {
        fill(extra, el('p', { class: 'error' }, t('app.loadFailed', error.message)));
      }
    }

    function escalateForm() {
      const note = el('textarea', { name: 'note', rows: 2, maxlength: MAX_NOTE });
      const form = el('form', { class: 'escalate-form cancel-form', novalidate: true },
        field(t('needs.escalateNote'), note, 'note'),
        el('p', { class: 'form-error error', 'aria-live': 'polite' }),
        el('button', { type: 'submit' }, t('needs.escalate')),
        el('button', { type: 'button', onclick: () => fill(extra) }, t('visit.cancel')));
      checkedForm(form, () => ({ note: note.value.trim() }), {
        note: (v) => (!v.note ? t('form.required') : v.note.length > MAX_NOTE ? t('form.tooLong', MAX_NOTE) : null),
      }, async (v) => {
        const { body } = await sendJson('POST', `/api/needs/${need.id}/escalate`, { note: v.note }, need.version);
        item.replaceWith(row(body));
      });
      fill(extra, form);
      note.focus();
    }

    const canTake = need.status === 'open' || need.status === 'escalated';
    const canFinish = need.status === 'taken' || need.status === 'escalated';
    const canEscalate = need.status === 'open' || need.status === 'taken';
    item.dataset.status = need.status;
    item.className = need.urgency === 'urgent' ? 'urgent' : '';
    return fill(item,
      el('span', { class: 'need-kind' }, term('needs', need.kind)), ' ',
      el('span', { class: 'need-person' }, need.person ?? `#${need.personId}`), ' ',
      need.place ? el('span', { class: 'kp-place' }, need.place) : null, ' ',
      need.phone ? el('span', { class: 'phone' }, need.phone) : null, ' ',
      el('span', { class: 'need-status' }, term('needStatuses', need.status)), ' ',
      el('span', { class: 'need-days' }, t('needs.days', need.daysOpen)),
      need.escalationNote ? el('p', { class: 'muted' }, `${t('needs.escalateNote')}: ${need.escalationNote}`) : null,
      need.status === 'done' ? null : el('div', { class: 'need-actions' },
        canTake ? el('button', { type: 'button', class: 'show-matches', onclick: showMatches }, t('needs.matches')) : null,
        canFinish ? el('button', { type: 'button', class: 'done', onclick: () => move('done', {}) }, t('needs.done')) : null,
        canEscalate ? el('button', { type: 'button', class: 'link escalate', onclick: escalateForm }, t('needs.escalate')) : null),
      extra, message);
  }

  section.addEventListener('toggle', () => { if (section.open) load(); });
  return section;
}
