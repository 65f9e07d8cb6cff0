// Per-tab persistence. sessionStorage (not localStorage) on purpose: the
// conversation survives reloads of the tab but is gone once the tab closes, so
// the next person on a shared computer (hospital kiosk, family PC) does not
// see the previous patient's conversation.

const KEYS = {
  session: 'patient-guide-session',
  transcript: 'patient-guide-transcript',
  open: 'patient-guide-open',
  outbox: 'patient-guide-outbox',
};

export const TRANSCRIPT_LIMIT = 100;

// Storage can be disabled or full (private mode, strict cookie settings); the
// widget must still work, just without memory.
function read(key) {
  try {
    return window.sessionStorage.getItem(key);
  } catch (err) {
    return null;
  }
}

function write(key, value) {
  try {
    if (value === null) window.sessionStorage.removeItem(key);
    else window.sessionStorage.setItem(key, value);
  } catch (err) {
    /* storage unavailable: keep running in memory only */
  }
}

function readJsonArray(key) {
  const raw = read(key);
  if (!raw) return [];
  try {
    const value = JSON.parse(raw);
    return Array.isArray(value) ? value : [];
  } catch (err) {
    return [];
  }
}

export function getSessionId() {
  return read(KEYS.session) || null;
}

export function setSessionId(id) {
  write(KEYS.session, id ? String(id) : null);
}

// Entries: {role: "user"|"bot", text, sender?, buttons?}. Only plain strings are
// kept, so a tampered store cannot smuggle anything but text into the view.
export function loadTranscript() {
  return readJsonArray(KEYS.transcript)
    .filter((m) => m && (m.role === 'user' || m.role === 'bot') && typeof m.text === 'string')
    .map((m) => {
      const entry = { role: m.role, text: m.text };
      if (m.sender === 'coordinator') entry.sender = 'coordinator';
      if (Array.isArray(m.buttons)) {
        const buttons = m.buttons.filter((b) => b && typeof b.title === 'string' && typeof b.payload === 'string');
        if (buttons.length) entry.buttons = buttons.map((b) => ({ title: b.title, payload: b.payload }));
      }
      return entry;
    })
    .slice(-TRANSCRIPT_LIMIT);
}

export function saveTranscript(entries) {
  write(KEYS.transcript, JSON.stringify(entries.slice(-TRANSCRIPT_LIMIT)));
}

export function getOpen() {
  return read(KEYS.open) === '1';
}

export function setOpen(open) {
  write(KEYS.open, open ? '1' : '0');
}

// Messages typed while offline, kept until they are sent so a reload during an
// outage does not lose them.
export function loadOutbox() {
  return readJsonArray(KEYS.outbox).filter((m) => typeof m === 'string');
}

export function saveOutbox(messages) {
  write(KEYS.outbox, messages.length ? JSON.stringify(messages) : null);
}
