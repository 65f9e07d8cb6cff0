// Language choice and UI texts. The labels live on the server
// (bot/texts/<lang>.yml, served as /widget/texts.json) so translators edit one
// place; the widget only carries a minimal English fallback for when that fetch fails.

export const SUPPORTED = ['zh-Hans', 'zh-Hant', 'en', 'ja', 'ko', 'ru', 'ar', 'fr', 'de', 'es', 'vi', 'th'];

const RTL = ['ar'];

// Used only if texts.json cannot be fetched (or lacks a key), so the widget
// never shows blank buttons.
export const FALLBACK_TEXTS = {
  widget_title: 'Hospital guide',
  widget_open: 'Open the chat',
  widget_close: 'Close the chat',
  widget_placeholder: 'Type your message…',
  widget_send: 'Send',
  widget_typing: 'The assistant is typing…',
  widget_waiting: 'Waiting for a coordinator…',
  widget_coordinator_notice: 'A hospital coordinator is in this conversation.',
  widget_offline: 'Connection lost — reconnecting…',
  widget_label_assistant: 'Assistant',
  widget_label_coordinator: 'Coordinator',
  widget_label_you: 'You',
};

// Maps one BCP 47 tag to a supported language, or null.
export function matchLanguage(tag) {
  if (typeof tag !== 'string' || !tag) return null;
  const parts = tag.trim().toLowerCase().replace(/_/g, '-').split('-');
  const primary = parts[0];
  if (primary === 'zh') {
    // Script subtag wins; otherwise the region decides: Taiwan, Hong Kong and
    // Macau write Traditional, everything else (zh, zh-CN, zh-SG) Simplified.
    if (parts.includes('hant')) return 'zh-Hant';
    if (parts.includes('hans')) return 'zh-Hans';
    if (parts.some((p) => p === 'tw' || p === 'hk' || p === 'mo')) return 'zh-Hant';
    return 'zh-Hans';
  }
  const found = SUPPORTED.find((l) => l === primary);
  return found || null;
}

// First supported entry of the browser's preference list; English otherwise.
export function pickLanguage(languages) {
  const list = Array.isArray(languages) ? languages : [];
  for (const tag of list) {
    const lang = matchLanguage(tag);
    if (lang) return lang;
  }
  return 'en';
}

export function browserLanguages() {
  const nav = typeof navigator !== 'undefined' ? navigator : {};
  if (nav.languages && nav.languages.length) return Array.from(nav.languages);
  return nav.language ? [nav.language] : [];
}

export function directionOf(lang) {
  return RTL.includes(lang) ? 'rtl' : 'ltr';
}

// Fetches the server's labels. Missing keys fall back to the server's English,
// then to the built-in English, so a partly translated file still works.
export async function loadTexts(server, lang, timeoutMs = 10000) {
  const controller = typeof AbortController !== 'undefined' ? new AbortController() : null;
  const timer = controller ? setTimeout(() => controller.abort(), timeoutMs) : null;
  try {
    const response = await fetch(`${server}/widget/texts.json`, {
      credentials: 'omit',
      signal: controller ? controller.signal : undefined,
    });
    if (!response.ok) throw new Error(`texts.json: HTTP ${response.status}`);
    const all = await response.json();
    const merged = Object.assign({}, FALLBACK_TEXTS);
    for (const source of [all && all.en, all && all[lang]]) {
      if (!source || typeof source !== 'object') continue;
      for (const key of Object.keys(FALLBACK_TEXTS)) {
        if (typeof source[key] === 'string' && source[key].trim()) merged[key] = source[key];
      }
    }
    return { texts: merged, fromServer: true };
  } catch (err) {
    return { texts: Object.assign({}, FALLBACK_TEXTS), fromServer: false };
  } finally {
    if (timer) clearTimeout(timer);
  }
}
