// The administrator's screen: accounts (create, scope, roles, disable, reset the password), personal
// access tokens, imports with their progress and error list, and the history of any record. The map
// beside it shows the grids; the coverage screen opens in its own tab.
import { getJson, postForm, sendJson } from './http.js';
import { el, fill } from './dom.js';
import { t, term } from './i18n.js';
import { checkedForm, errorSlot, field } from './forms.js';
import { gridChoices, gridsLayer } from './layers.js';
import { calloutPanel } from './callout.js';
import { needsPanel } from './needs.js';
import { startPlanner } from './planner.js';

const ROLES = ['ADMIN', 'PLANNER', 'DISPATCHER', 'GRID_WORKER', 'VOLUNTEER'];
const USERNAME = /^[a-z0-9_.-]{2,64}$/;
// every type POST /api/imports takes (data-import's RecordKind, and osm)
const IMPORT_TYPES = ['buildings', 'units', 'persons', 'key-persons', 'volunteers', 'facilities', 'compounds', 'grids',
  'admin-areas', 'micro-organisations', 'assignments', 'visits', 'osm'];
// the types the server resolves against what is stored: they can be tried first (a dry run) and show a plan
const PLANNED_TYPES = ['assignments', 'visits'];
// what a plan's step does (Rosters, Ledgers): also the keys of a roster's or a ledger's counts
const PLAN_ACTIONS = ['create', 'unchanged', 'end', 'unlisted'];
const HISTORY_ENTITIES = ['user', 'assignment', 'person', 'key-person', 'volunteer', 'facility', 'delivery-request', 'organisation'];
const POLL_MS = 1000;

function when(text) {
  return text ? new Date(text).toLocaleString() : '—';
}

function formShell(id, heading, ...fields) {
  return el('form', { id, class: 'admin-form', novalidate: true }, el('h3', {}, heading), ...fields,
    el('p', { class: 'form-error error', 'aria-live': 'polite' }));
}

export async function startAdmin(context) {
  const { panel, map, status } = context;
  const grids = gridsLayer(context, null).addTo(map);
  await grids.ready;
  if (grids.getLayers().length > 0) {
    map.fitBounds(grids.getBounds());
  } else {
    map.setView([30.65, 104.08], 12);
  }
  const choices = gridChoices(grids);

  const sections = {
    users: el('section', { id: 'admin-users' }),
    tokens: el('section', { id: 'admin-tokens', hidden: true }),
    imports: el('section', { id: 'admin-imports', hidden: true }),
    history: el('section', { id: 'admin-history', hidden: true }),
    coverage: el('section', { id: 'admin-coverage', hidden: true }),
    callouts: el('section', { id: 'admin-callouts', hidden: true }),
  };
  let plannerStarted = false;
  const tabs = el('nav', { class: 'admin-tabs', role: 'tablist' }, Object.keys(sections).map((name) =>
    el('button', { type: 'button', role: 'tab', id: `tab-${name}`, 'data-tab': name, onclick: () => openTab(name) },
      t(`admin.tab.${name}`))));

  function openTab(name) {
    for (const [key, section] of Object.entries(sections)) section.hidden = key !== name;
    tabs.querySelectorAll('button').forEach((b) => b.setAttribute('aria-selected', String(b.dataset.tab === name)));
    if (name === 'coverage' && !plannerStarted) {
      plannerStarted = true;
      startPlanner({ ...context, panel: sections.coverage }).catch((error) => status.fail(error));
    }
  }

  fill(panel, el('h2', {}, t('admin.title')), tabs, Object.values(sections));
  const history = historySection(sections.history, status);
  const openHistory = (entity, id) => {
    openTab('history');
    history.show(entity, id);
  };
  await Promise.all([
    usersSection(sections.users, choices, context, openHistory),
    tokensSection(sections.tokens, context),
  ]);
  importsSection(sections.imports, status);
  fill(sections.callouts, calloutPanel({ grids: choices }), needsPanel());
  openTab('users');
  status.say(t('admin.ready'));
}

/** Accounts: the list, and one form that creates a user or changes the one being edited. */
async function usersSection(section, gridChoices, { me, status }, openHistory) {
  const gridName = (id) => gridChoices.find((g) => String(g.id) === String(id))?.name ?? `#${id}`;
  const oneTime = el('div', { id: 'one-time-password', class: 'one-time', hidden: true });
  const table = el('table', { id: 'user-table', class: 'admin-table' });
  let editing = null;

  const username = el('input', { name: 'username', autocomplete: 'off', spellcheck: 'false' });
  const displayName = el('input', { name: 'displayName', maxlength: 100 });
  const roleBoxes = ROLES.map((role) => el('label', { class: 'check' },
    el('input', { type: 'checkbox', name: 'roles', value: role }), t(`role.${role}`)));
  const area = el('input', { name: 'scopeAreaCode', inputmode: 'numeric', maxlength: 12, placeholder: '510104020001' });
  const grid = el('select', { name: 'scopeGridId' }, el('option', { value: '' }, t('admin.noGrid')),
    gridChoices.map((g) => el('option', { value: g.id }, `${g.name} (#${g.id})`)));
  const person = el('input', { name: 'personId', inputmode: 'numeric' });
  const password = el('input', { name: 'password', type: 'password', autocomplete: 'new-password' });
  const passwordField = field(t('admin.password'), password, 'password');
  const heading = el('h3');
  const submitButton = el('button', { type: 'submit', id: 'user-submit' });
  const form = formShell('user-form', '',
    field(t('admin.username'), username, 'username'),
    field(t('admin.displayName'), displayName, 'displayName'),
    el('fieldset', {}, el('legend', {}, t('admin.roles')), roleBoxes, errorSlot('roles')),
    field(t('admin.scopeArea'), area, 'scopeAreaCode'),
    field(t('admin.scopeGrid'), grid, 'scopeGridId'),
    field(t('admin.personId'), person, 'personId'),
    passwordField, submitButton,
    el('button', { type: 'button', onclick: () => startNew() }, t('admin.cancel')));
  form.querySelector('h3').replaceWith(heading);

  const read = () => ({
    username: username.value.trim(),
    displayName: displayName.value.trim(),
    roles: [...form.querySelectorAll('input[name=roles]:checked')].map((box) => box.value),
    scopeAreaCode: area.value.trim(),
    scopeGridId: grid.value,
    personId: person.value.trim(),
    password: password.value,
  });
  const rules = {
    username: (v) => {
      if (editing) return null;
      if (!v.username) return t('form.required');
      return USERNAME.test(v.username) ? null : t('admin.usernameRule');
    },
    displayName: (v) => (v.displayName.length > 100 ? t('form.tooLong', 100) : null),
    roles: (v) => (v.roles.length ? null : t('admin.roleRequired')),
    scopeAreaCode: (v) => {
      if (v.scopeAreaCode && !/^[0-9]{12}$/.test(v.scopeAreaCode)) return t('admin.areaCodeRule');
      const needsScope = v.roles.length > 0 && (!v.roles.includes('ADMIN') || me.scopeType !== 'everywhere');
      return needsScope && !v.scopeAreaCode && !v.scopeGridId ? t('admin.scopeRequired') : null;
    },
    scopeGridId: (v) => {
      if (v.roles.includes('GRID_WORKER') && !v.scopeGridId) return t('admin.gridRequired');
      return v.scopeGridId && v.scopeAreaCode ? t('admin.oneScope') : null;
    },
    personId: (v) => (v.personId && !/^[1-9][0-9]*$/.test(v.personId) ? t('form.number') : null),
    password: (v) => (v.password && (v.password.length < 8 || v.password === 'demo') ? t('admin.passwordRule') : null),
  };
  const controller = checkedForm(form, read, rules, async (v) => {
    const body = {
      displayName: v.displayName || undefined,
      roles: v.roles,
      scopeAreaCode: v.scopeAreaCode || undefined,
      scopeGridId: v.scopeGridId ? Number(v.scopeGridId) : undefined,
      personId: v.personId ? Number(v.personId) : undefined,
    };
    if (editing) {
      const { body: user } = await sendJson('PATCH', `/api/users/${encodeURIComponent(editing.username)}`, body, editing.version);
      status.say(t('admin.userSaved', user.username));
    } else {
      const { body: user } = await sendJson('POST', '/api/users', { ...body, username: v.username, password: v.password || undefined });
      status.say(t('admin.userCreated', user.username));
      if (user.oneTimePassword) showPassword(user.username, user.oneTimePassword);
    }
    startNew();
    await load();
  });

  function startNew() {
    editing = null;
    controller.reset();
    username.disabled = false;
    passwordField.hidden = false;
    heading.textContent = t('admin.newUser');
    submitButton.textContent = t('admin.create');
  }

  function edit(user) {
    controller.reset();
    editing = user;
    username.value = user.username;
    username.disabled = true;
    displayName.value = user.displayName ?? '';
    form.querySelectorAll('input[name=roles]').forEach((box) => { box.checked = user.roles.includes(box.value); });
    area.value = user.scopeAreaCode ?? '';
    grid.value = user.scopeGridId ?? '';
    person.value = user.personId ?? '';
    passwordField.hidden = true;
    heading.textContent = t('admin.editUser', user.username);
    submitButton.textContent = t('admin.save');
    form.scrollIntoView({ block: 'nearest' });
  }

  function showPassword(name, secret) {
    oneTime.hidden = false;
    fill(oneTime, el('p', {}, t('admin.oneTimePassword', name)),
      el('code', { class: 'secret', 'data-password': secret, 'data-username': name }, secret),
      el('button', { type: 'button', onclick: () => { fill(oneTime); oneTime.hidden = true; } }, t('admin.noted')));
  }

  async function change(user, body, done) {
    try {
      const { body: changed } = await sendJson('PATCH', `/api/users/${encodeURIComponent(user.username)}`, body, user.version);
      done?.(changed);
      await load();
    } catch (error) {
      status.fail(error);
    }
  }

  function scopeText(user) {
    if (user.scopeGridId) return `${t('admin.grid')} ${gridName(user.scopeGridId)}`;
    if (user.scopeAreaCode) return user.scopeAreaCode;
    return t('admin.everywhere');
  }

  async function load() {
    const users = await getJson('/api/users');
    fill(table,
      el('thead', {}, el('tr', {}, ['admin.username', 'admin.displayName', 'admin.roles', 'admin.scope', 'admin.state', '']
        .map((key) => el('th', {}, key ? t(key) : '')))),
      el('tbody', {}, users.map((user) => el('tr', { 'data-username': user.username, class: user.enabled ? '' : 'disabled' },
        el('td', {}, user.username),
        el('td', {}, user.displayName ?? ''),
        el('td', {}, user.roles.map((r) => t(`role.${r}`)).join('、')),
        el('td', {}, scopeText(user)),
        el('td', {}, user.enabled ? t('admin.enabled') : t('admin.disabled')),
        el('td', { class: 'actions' },
          el('button', { type: 'button', class: 'link', onclick: () => edit(user) }, t('admin.edit')),
          el('button', { type: 'button', class: 'link', onclick: () => change(user, { enabled: !user.enabled }) },
            user.enabled ? t('admin.disable') : t('admin.enable')),
          el('button', { type: 'button', class: 'link', onclick: () => {
            if (window.confirm(t('admin.confirmReset', user.username))) {
              change(user, { resetPassword: true }, (changed) => showPassword(changed.username, changed.oneTimePassword));
            }
          } }, t('admin.resetPassword')),
          el('button', { type: 'button', class: 'link', onclick: () => openHistory('user', user.id) }, t('admin.history')))))));
    table.dataset.count = String(users.length);
  }

  fill(section, oneTime, form, el('h3', {}, t('admin.users')), table);
  startNew();
  await load();
}

/** Personal access tokens: the caller's own, and for an administrator those of their users. */
async function tokensSection(section, { status }) {
  const shown = el('div', { id: 'new-token', class: 'one-time', hidden: true });
  const table = el('table', { id: 'token-table', class: 'admin-table' });
  const name = el('input', { name: 'name', maxlength: 100 });
  const expires = el('input', { name: 'expiresAt', type: 'date' });
  const form = formShell('token-form', t('admin.newToken'),
    field(t('admin.tokenName'), name, 'name'),
    field(t('admin.expiresAt'), expires, 'expiresAt'),
    el('button', { type: 'submit' }, t('admin.create')));
  const today = () => new Date().toISOString().slice(0, 10);
  const controller = checkedForm(form, () => ({ name: name.value.trim(), expiresAt: expires.value }), {
    name: (v) => (!v.name ? t('form.required') : v.name.length > 100 ? t('form.tooLong', 100) : null),
    expiresAt: (v) => (v.expiresAt && v.expiresAt <= today() ? t('admin.futureDate') : null),
  }, async (v) => {
    // the end of the chosen day where the administrator is
    const expiresAt = v.expiresAt ? new Date(`${v.expiresAt}T23:59:59`).toISOString() : undefined;
    const { body: token } = await sendJson('POST', '/api/tokens', { name: v.name, expiresAt });
    controller.reset();
    shown.hidden = false;
    fill(shown, el('p', {}, t('admin.tokenOnce', token.name)),
      el('code', { class: 'secret', 'data-token': token.token }, token.token),
      el('button', { type: 'button', onclick: () => { fill(shown); shown.hidden = true; } }, t('admin.noted')));
    await load();
  });

  async function load() {
    const tokens = await getJson('/api/tokens');
    fill(table,
      el('thead', {}, el('tr', {}, ['admin.tokenName', 'admin.owner', 'admin.created', 'admin.expiresAt', 'admin.lastUsed',
        'admin.state', ''].map((key) => el('th', {}, key ? t(key) : '')))),
      el('tbody', {}, tokens.map((token) => el('tr', { 'data-token-id': token.id, class: token.active ? '' : 'disabled' },
        el('td', {}, token.name), el('td', {}, token.username), el('td', {}, when(token.createdAt)),
        el('td', {}, when(token.expiresAt)), el('td', {}, when(token.lastUsedAt)),
        el('td', {}, token.revokedAt ? t('admin.revoked') : token.active ? t('admin.active') : t('admin.inactive')),
        el('td', {}, token.revokedAt ? null : el('button', { type: 'button', class: 'link', onclick: async () => {
          try {
            await sendJson('DELETE', `/api/tokens/${token.id}`);
            await load();
          } catch (error) {
            status.fail(error);
          }
        } }, t('admin.revoke')))))));
  }

  fill(section, shown, form, el('h3', {}, t('admin.tokens')), el('p', { class: 'muted' }, t('admin.tokenHelp')), table);
  await load();
}

/**
 * Uploads a file, follows the job's progress and lists its errors by file, row and field. A roster or a visit
 * ledger can be tried first (a dry run): its plan shows as a table, and "import" then runs the same file for real.
 */
function importsSection(section, status) {
  const type = el('select', { name: 'type' }, IMPORT_TYPES.map((kind) => el('option', { value: kind }, t(`import.type.${kind}`))));
  const file = el('input', { name: 'file', type: 'file' });
  const crs = el('input', { name: 'crs', placeholder: 'EPSG:4490' });
  const dryRun = el('input', { name: 'dryRun', type: 'checkbox' });
  const endUnlisted = el('input', { name: 'endUnlisted', type: 'checkbox' });
  const dryRunField = el('label', { class: 'check' }, dryRun, t('admin.dryRun'));
  const endUnlistedField = el('label', { class: 'check' }, endUnlisted, t('admin.endUnlisted'));
  const jobs = el('div', { id: 'import-jobs' });
  const form = formShell('import-form', t('admin.newImport'),
    field(t('admin.importType'), type, 'type'),
    field(t('admin.file'), file, 'file'),
    field(t('admin.crs'), crs, 'crs'),
    dryRunField, endUnlistedField,
    el('button', { type: 'submit' }, t('admin.upload')));

  // other types ignore both flags: offering a dry run there would import for real
  function showFlags() {
    const planned = PLANNED_TYPES.includes(type.value);
    dryRunField.hidden = !planned;
    endUnlistedField.hidden = type.value !== 'assignments';
    if (!planned) dryRun.checked = false;
    if (type.value !== 'assignments') endUnlisted.checked = false;
  }
  type.addEventListener('change', showFlags);
  showFlags();

  const controller = checkedForm(form, () => ({
    type: type.value, file: file.files[0], crs: crs.value.trim(), dryRun: dryRun.checked, endUnlisted: endUnlisted.checked,
  }), {
    type: (v) => (v.type ? null : t('form.required')),
    file: (v) => (v.file ? null : t('admin.fileRequired')),
    crs: (v) => (v.crs && !/^EPSG:[0-9]{4,5}$/i.test(v.crs) ? t('admin.crsRule') : null),
  }, async (v) => {
    const started = await upload(v);
    controller.reset();
    showFlags();
    follow(started.id, v);
  });

  function upload(v) {
    const data = new FormData();
    data.append('type', v.type);
    data.append('file', v.file, v.file.name);
    if (v.crs) data.append('crs', v.crs);
    if (v.dryRun) data.append('dryRun', 'true');
    if (v.endUnlisted) data.append('endUnlisted', 'true');
    return postForm('/api/imports', data);
  }

  /** @param request what was uploaded: a dry run's "import" button sends the same again, for real */
  function follow(id, request) {
    const progress = el('progress', { max: 1, value: 0 });
    const line = el('p', { class: 'job-status' });
    const errors = el('div', { class: 'job-errors' });
    const plan = el('div', { class: 'job-plan' });
    const box = el('article', { class: 'import-job', 'data-job': id }, el('h4', {}, t('admin.importJob', id)), progress, line,
      errors, plan);
    jobs.prepend(box);
    const poll = async () => {
      let job;
      try {
        job = await getJson(`/api/imports/${id}`);
      } catch (error) {
        status.fail(error);
        return;
      }
      progress.value = job.status === 'succeeded' ? 1 : job.progress || 0;
      box.dataset.dryRun = String(Boolean(job.dryRun));
      const counts = Object.entries(job.counts || {}).map(([k, n]) => `${PLAN_ACTIONS.includes(k) ? t(`admin.plan.${k}`) : k} ${n}`)
        .join('，');
      line.textContent = t(job.dryRun ? 'admin.dryRunLine' : 'admin.importLine', job.fileName, t(`import.${job.status}`),
        job.rowsRead, counts || '—');
      if (job.errors && job.errors.length) {
        fill(errors, el('table', { class: 'admin-table' },
          el('thead', {}, el('tr', {}, ['admin.errFile', 'admin.errRow', 'admin.errField', 'admin.errReason'].map((k) => el('th', {}, t(k))))),
          el('tbody', {}, job.errors.map((e) => el('tr', { class: (e.severity || '').toLowerCase() },
            el('td', {}, e.file ?? ''), el('td', {}, e.row ?? ''), el('td', {}, e.field ?? ''), el('td', {}, e.reason ?? ''))))));
      }
      if (job.status === 'queued' || job.status === 'running') {
        setTimeout(poll, POLL_MS);
        return;
      }
      if (Array.isArray(job.plan) && job.plan.length) {
        const ready = job.dryRun && job.status === 'succeeded';
        fill(plan, planTable(job.plan), ready ? el('button', {
          type: 'button', class: 'apply-import', onclick: async (event) => {
            event.target.disabled = true;
            try {
              const started = await upload({ ...request, dryRun: false });
              follow(started.id, { ...request, dryRun: false });
            } catch (error) {
              event.target.disabled = false;
              status.fail(error);
            }
          },
        }, t('admin.apply')) : null);
      }
      // set last: a test waiting for the status finds the plan drawn
      box.dataset.status = job.status;
    };
    poll();
  }

  fill(section, form, el('h3', {}, t('admin.imports')), jobs);
}

/** A roster's or a ledger's plan: one row per step, what it does (or did) and to whom. */
function planTable(steps) {
  // a roster's steps name a role, a ledger's a visit
  const roster = 'role' in steps[0];
  const columns = roster
    ? ['action', 'row', 'role', 'building', 'unit', 'person', 'keyPerson', 'validFrom', 'validTo']
    : ['action', 'row', 'person', 'visitedAt', 'method', 'visitor'];
  const cell = (step, key) => {
    const value = step[key];
    if (key === 'action') return t(`admin.plan.${value}`);
    if (key === 'role') return term('assignmentRoles', value);
    if (key === 'method') return term('visitMethods', value);
    if (key === 'visitedAt') return when(value);
    if (key === 'row') return value === 0 ? '—' : value;
    return value ?? '';
  };
  return el('table', { class: 'admin-table import-plan', 'data-count': steps.length },
    el('caption', {}, t('admin.planOf', steps.length)),
    el('thead', {}, el('tr', {}, columns.map((key) => el('th', { scope: 'col' }, t(`admin.plan.col.${key}`))))),
    el('tbody', {}, steps.map((step) => el('tr', { 'data-action': step.action },
      columns.map((key) => el('td', {}, cell(step, key)))))));
}

/** The change history of any record: who, when, what changed from what to what, and why. */
function historySection(section, status) {
  const entity = el('select', { name: 'entity' }, HISTORY_ENTITIES.map((e) => el('option', { value: e }, t(`entity.${e}`))));
  const id = el('input', { name: 'id', inputmode: 'numeric' });
  const result = el('div', { id: 'history-result' });
  const form = formShell('history-form', t('admin.historyOf'),
    field(t('admin.entity'), entity, 'entity'),
    field(t('admin.recordId'), id, 'id'),
    el('button', { type: 'submit' }, t('admin.show')));
  checkedForm(form, () => ({ entity: entity.value, id: id.value.trim() }), {
    id: (v) => (/^[1-9][0-9]*$/.test(v.id) ? null : t('form.number')),
  }, (v) => load(v.entity, v.id));

  function changes(change) {
    if (!change.before) return t('admin.newRecord');
    const after = change.after || {};
    return Object.keys({ ...change.before, ...after })
      .filter((key) => key !== 'version' && JSON.stringify(change.before[key]) !== JSON.stringify(after[key]))
      .map((key) => `${key}: ${JSON.stringify(change.before[key] ?? null)} → ${JSON.stringify(after[key] ?? null)}`)
      .join('；');
  }

  async function load(entityName, recordId) {
    const entries = await getJson(`/api/history?entity=${encodeURIComponent(entityName)}&id=${encodeURIComponent(recordId)}`);
    fill(result, entries.length === 0 ? el('p', { class: 'muted' }, t('admin.noHistory')) : el('table', { class: 'admin-table', id: 'history-table' },
      el('thead', {}, el('tr', {}, ['admin.when', 'admin.who', 'admin.action', 'admin.changes', 'admin.reason'].map((k) => el('th', {}, t(k))))),
      el('tbody', {}, entries.map((c) => el('tr', { 'data-action': c.action },
        el('td', {}, when(c.at)), el('td', {}, c.username), el('td', {}, t(`history.${c.action}`)),
        el('td', { class: 'changes' }, changes(c)), el('td', {}, c.reason ?? ''))))));
  }

  fill(section, form, result);
  return {
    show(entityName, recordId) {
      entity.value = entityName;
      id.value = String(recordId);
      load(entityName, recordId).catch((error) => status.fail(error));
    },
  };
}
