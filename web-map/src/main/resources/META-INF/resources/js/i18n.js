// Messages in zh-CN (default) and en; the choice is kept in the browser.
let messages = {};
let language = 'zh-CN';

export async function loadMessages() {
  language = localStorage.getItem('caregrid.lang') === 'en' ? 'en' : 'zh-CN';
  document.documentElement.lang = language;
  const response = await fetch(`/i18n/${language}.json`);
  messages = await response.json();
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
