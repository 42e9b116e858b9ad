// Messages in zh-CN (default) and en; the choice is kept in the browser. The domain lists (needs,
// visit methods, facility kinds, ...) and their words come from the server's /api/vocabulary.
let messages = {};
let language = 'zh-CN';
let lists = {};

export async function loadMessages() {
  language = localStorage.getItem('caregrid.lang') === 'en' ? 'en' : 'zh-CN';
  document.documentElement.lang = language;
  const response = await fetch(`/i18n/${language}.json`);
  messages = await response.json();
}

/** Fetches the domain lists once, in the chosen language; needs a log-in. */
export async function loadVocabulary() {
  const response = await fetch('/api/vocabulary', {
    credentials: 'same-origin',
    headers: { Accept: 'application/json', 'Accept-Language': language },
  });
  if (!response.ok) throw Object.assign(new Error(`vocabulary: HTTP ${response.status}`), { status: response.status });
  lists = await response.json();
}

/** vocabulary('needs') → [{ code: 'medicine_delivery', label: '送药到户' }, ...] */
export function vocabulary(list) {
  return lists[list] ?? [];
}

/** term('visitMethods', 'door') → "上门"; an unknown code shows as itself. */
export function term(list, code) {
  return vocabulary(list).find((entry) => entry.code === code)?.label ?? code ?? '';
}

export function currentLanguage() {
  return language;
}

export function switchLanguage() {
  localStorage.setItem('caregrid.lang', language === 'en' ? 'zh-CN' : 'en');
  location.reload();
}

/** t('gw.overdueDays', 3) → "逾期 3 天"; unknown keys show as themselves. */
export function t(key, ...args) {
  const text = messages[key] ?? key;
  return text.replace(/\{(\d+)\}/g, (match, index) => String(args[Number(index)] ?? match));
}

/** Fills every [data-i18n] element's text. */
export function translatePage(root = document) {
  root.querySelectorAll('[data-i18n]').forEach((element) => {
    element.textContent = t(element.dataset.i18n);
  });
}
