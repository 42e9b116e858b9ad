// 社区呼叫 (call-out of the reserve): the call-outs of the caller's scope with filled / needed, a new one for
// the grid or area the screen shows, its candidates as the server ranks them (tier, skills, walk), each
// member's answer recorded with the call-out's version (If-Match), and closing it.
import { getJson, sendJson } from './http.js';
import { el, fill } from './dom.js';
import { currentLanguage, t, term } from './i18n.js';
import { checkedForm, field } from './forms.js';

// the server's limits (CalloutController), checked as typed
const MAX_NEEDED = 500;
const MAX_SKILLS = 20;
const MAX_SKILL_LENGTH = 50;
const MAX_REASON = 500;

/** Skills as typed: separated by commas (either width), 、 or spaces. */
function skillList(text) {
  return [...new Set(text.split(/[,，、;；\s]+/).map((s) => s.trim()).filter(Boolean))];
}

function when(iso) {
  return new Date(iso).toLocaleString(currentLanguage(), { dateStyle: 'short', timeStyle: 'short' });
}

function filledText(callout) {
  return `${callout.filled}/${callout.needed}`;
}

function neededRule(v) {
  return /^[0-9]+$/.test(v.needed) && +v.needed >= 1 && +v.needed <= MAX_NEEDED ? null : t('callout.badNeeded', MAX_NEEDED);
}

function hoursRule(v) {
  return /^[0-9]{1,2}(\.[0-9]{1,2})?$/.test(v.hours) && +v.hours > 0 && +v.hours <= 24 ? null : t('callout.badHours');
}

function skillsRule(v) {
  return v.skills.length > MAX_SKILLS || v.skills.some((s) => s.length > MAX_SKILL_LENGTH)
    ? t('callout.badSkills', MAX_SKILLS, MAX_SKILL_LENGTH) : null;
}

/**
 * The panel: `place` is { gridId } or { areaCode }, where a new call-out gathers (the server picks the
 * community office in it); with `grids` ({id, name}) the form offers one of them instead, and without a
 * place (an administrator) asks for one.
 */
export function calloutPanel({ place = null, grids = [] } = {}) {
  const summary = el('p', { id: 'callout-summary', class: 'summary' });
  const list = el('ul', { id: 'callout-list', class: 'kp-list' });
  const detail = el('section', { id: 'callout-detail', hidden: true });
  const newButton = el('button', { type: 'button', id: 'new-callout', onclick: () => showForm() }, t('callout.new'));
  const section = el('details', { id: 'callouts', class: 'panel-section' },
    el('summary', {}, t('callout.title')), summary, list, newButton, detail);

  async function loadList() {
    try {
      const callouts = await getJson('/api/callouts');
      summary.textContent = t('callout.count', callouts.length);
      summary.dataset.count = String(callouts.length);
      fill(list, callouts.map((c) => el('li', { 'data-callout': c.id, 'data-status': c.status },
        el('button', { type: 'button', class: 'link', onclick: () => open(c.id) },
          `${c.placeName ?? ''} · ${when(c.startsAt)} · ${t('callout.hoursShort', c.hours)}`), ' ',
        el('span', { class: 'callout-filled' }, filledText(c)), ' ',
        el('span', { class: 'callout-status' }, term('calloutStatuses', c.status)))));
    } catch (error) {
      fill(list, el('li', { class: 'error' }, t('app.loadFailed', error.message)));
    }
  }

  async function open(id) {
    detail.hidden = false;
    fill(detail, el('p', {}, t('app.loading')));
    try {
      show(await getJson(`/api/callouts/${id}`));
    } catch (error) {
      fill(detail, el('p', { class: 'error' }, t('app.loadFailed', error.message)));
    }
  }

  function showForm() {
    const needed = el('input', { name: 'needed', type: 'number', min: 1, max: MAX_NEEDED, inputmode: 'numeric' });
    const startsAt = el('input', { name: 'startsAt', type: 'datetime-local' });
    const hours = el('input', { name: 'hours', type: 'number', min: 0.25, max: 24, step: 0.25, inputmode: 'decimal' });
    const skills = el('input', { name: 'skills', placeholder: t('callout.skillsHint'), autocomplete: 'off' });
    const grid = el('select', { name: 'gridId' }, el('option', { value: '' }, place ? t('callout.wholeArea') : '—'),
      grids.map((g) => el('option', { value: g.id }, g.name ?? `#${g.id}`)));
    const form = el('form', { id: 'callout-form', class: 'visit-form', novalidate: true },
      el('h4', {}, t('callout.new')),
      grids.length ? field(t('callout.grid'), grid, 'gridId') : null,
      field(t('callout.needed'), needed, 'needed'),
      field(t('callout.startsAt'), startsAt, 'startsAt'),
      field(t('callout.hours'), hours, 'hours'),
      field(t('callout.skills'), skills, 'skills'),
      el('p', { class: 'form-error error', 'aria-live': 'polite' }),
      el('button', { type: 'submit' }, t('callout.send')),
      el('button', { type: 'button', onclick: () => { detail.hidden = true; } }, t('visit.cancel')));
    checkedForm(form, () => ({
      gridId: grid.value, needed: needed.value.trim(), startsAt: startsAt.value, hours: hours.value.trim(),
      skills: skillList(skills.value),
    }), {
      gridId: (v) => (place || v.gridId ? null : t('form.required')),
      needed: neededRule,
      startsAt: (v) => (v.startsAt ? null : t('form.required')),
      hours: hoursRule,
      skills: skillsRule,
    }, async (v) => {
      // a datetime-local value is the browser's local time: sent as an instant
      const { body } = await sendJson('POST', '/api/callouts', {
        ...(v.gridId ? { gridId: Number(v.gridId) } : place), needed: Number(v.needed),
        startsAt: new Date(v.startsAt).toISOString(), hours: Number(v.hours), skills: v.skills,
      });
      show(body);
      await loadList();
    });
    detail.hidden = false;
    fill(detail, form);
    needed.focus();
  }

  /** One call-out: filled / needed, its candidates with their answers, and what can still be done. */
  function show(callout) {
    const answering = callout.status === 'open';
    const message = el('p', { class: 'error', role: 'alert' });

    async function write(url, body) {
      message.textContent = '';
      try {
        const { body: changed } = await sendJson('POST', url, body, callout.version);
        show(changed);
        await loadList();
      } catch (error) {
        message.textContent = error.errors?.length ? error.errors.map((e) => e.message).join('；') : error.message;
        // answered meanwhile by someone else: what stands now, with the message kept
        if (error.status === 412 || error.status === 409) {
          const said = message.textContent;
          try {
            show(await getJson(`/api/callouts/${callout.id}`));
            detail.querySelector('[role=alert]').textContent = said;
          } catch (ignored) {
            // the message already shown says what went wrong
          }
        }
      }
    }

    const candidates = el('ol', { id: 'callout-candidates', class: 'candidates' }, callout.candidates.map((c) => el('li', {
      'data-person': c.personId, 'data-rank': c.rank, 'data-response': c.response ?? '',
    },
    el('span', { class: 'candidate-name' }, c.name ?? `#${c.personId}`), ' ',
    el('span', { class: 'candidate-tier' }, c.tier ? term('reserveTiers', c.tier) : t('callout.noTier')), ' ',
    el('span', { class: 'candidate-distance' },
      t(c.estimate ? 'callout.distanceEstimate' : 'callout.distance', Math.round(c.distanceM))), ' ',
    callout.skills.length ? el('span', { class: 'candidate-skills' }, t('callout.skillsMatched', c.skillsMatched)) : null, ' ',
    c.phone ? el('span', { class: 'phone' }, c.phone) : null, ' ',
    c.response
      ? el('span', { class: 'candidate-response' }, t(`callout.${c.response}`))
      : answering && [
        el('button', { type: 'button', class: 'accept', onclick: () => write(`/api/callouts/${callout.id}/responses`,
          { personId: c.personId, accept: true }) }, t('callout.accept')), ' ',
        el('button', { type: 'button', class: 'link decline', onclick: () => write(`/api/callouts/${callout.id}/responses`,
          { personId: c.personId, accept: false }) }, t('callout.decline'))])));

    const closing = el('div', { class: 'callout-close' });
    function closeForm() {
      const reason = el('input', { name: 'reason', maxlength: MAX_REASON });
      const form = el('form', { id: 'close-callout-form', class: 'cancel-form', novalidate: true },
        field(t('callout.closeReason'), reason, 'reason'),
        el('p', { class: 'form-error error', 'aria-live': 'polite' }),
        el('button', { type: 'submit' }, t('callout.close')),
        el('button', { type: 'button', onclick: () => fill(closing, closeButton) }, t('visit.cancel')));
      checkedForm(form, () => ({ reason: reason.value.trim() }), {
        reason: (v) => (v.reason.length > MAX_REASON ? t('form.tooLong', MAX_REASON) : null),
      }, async (v) => {
        const { body } = await sendJson('POST', `/api/callouts/${callout.id}/close`, { reason: v.reason || null },
          callout.version);
        show(body);
        await loadList();
      });
      fill(closing, form);
      reason.focus();
    }
    const closeButton = el('button', { type: 'button', id: 'close-callout', onclick: closeForm }, t('callout.close'));
    if (callout.status !== 'closed') closing.append(closeButton);

    detail.hidden = false;
    detail.dataset.callout = String(callout.id);
    detail.dataset.version = String(callout.version);
    detail.dataset.status = callout.status;
    fill(detail,
      el('h4', {}, `${when(callout.startsAt)} · ${t('callout.hoursShort', callout.hours)}`),
      el('p', {}, `${t('callout.filled')}: `, el('span', { class: 'callout-filled' }, filledText(callout)), ' · ',
        el('span', { class: 'callout-status' }, term('calloutStatuses', callout.status))),
      callout.skills.length ? el('p', {}, `${t('callout.skills')}: ${callout.skills.join('、')}`) : null,
      el('h5', {}, t('callout.candidates', callout.candidates.length)),
      candidates, message, closing);
  }

  section.addEventListener('toggle', () => { if (section.open) loadList(); });
  return section;
}
