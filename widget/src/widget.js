// Entry point: <script src="https://HOST/widget/patient-guide-widget.js" defer></script>
// Builds the chat bubble and wires the view to the socket.io connection.

import { browserLanguages, directionOf, loadTexts, pickLanguage } from './i18n.js';
import * as storage from './storage.js';
import { createView } from './view.js';
import { createConnection } from './connection.js';

const ROOT_ID = 'patient-guide-widget';
const TYPING_TIMEOUT_MS = 20000;
const HANDOFF_STATES = ['waiting', 'coordinator', 'assistant'];

// document.currentScript is only set while this script first runs, so read it
// now, not after the asynchronous texts fetch.
const ownScript = document.currentScript;

// data-server wins; otherwise the server is wherever this script came from.
function resolveServer(script) {
  const explicit = script && script.getAttribute('data-server');
  if (explicit) return explicit.replace(/\/+$/, '');
  let src = script && script.src;
  if (!src) {
    const guess = document.querySelector('script[src*="patient-guide-widget"]');
    src = guess && guess.src;
  }
  try {
    return new URL(src || window.location.href, window.location.href).origin;
  } catch (err) {
    return window.location.origin;
  }
}

function validButtons(list) {
  if (!Array.isArray(list)) return [];
  return list
    .filter((b) => b && (typeof b.title === 'string' || typeof b.title === 'number') && String(b.title).trim())
    .map((b) => ({
      title: String(b.title),
      payload: typeof b.payload === 'string' && b.payload ? b.payload : String(b.title),
    }));
}

function init(server, lang, texts) {
  const transcript = storage.loadTranscript();
  const wasOpen = storage.getOpen();
  let handoffState = 'assistant';
  let offline = false;
  let typingTimer = null;

  function remember(entry) {
    transcript.push(entry);
    if (transcript.length > storage.TRANSCRIPT_LIMIT) transcript.splice(0, transcript.length - storage.TRANSCRIPT_LIMIT);
    storage.saveTranscript(transcript);
  }

  function hideTyping() {
    clearTimeout(typingTimer);
    typingTimer = null;
    view.setTyping(false);
  }

  function showTyping() {
    // While a person handles (or is about to handle) the chat, "the assistant
    // is typing" would be misleading.
    if (handoffState === 'waiting' || handoffState === 'coordinator') return;
    clearTimeout(typingTimer);
    view.setTyping(true);
    // The server may decide not to answer; don't promise a reply forever.
    typingTimer = setTimeout(hideTyping, TYPING_TIMEOUT_MS);
  }

  // Offline outranks the hand-off notice: it explains why nothing happens.
  function renderNotice() {
    if (offline) view.setNotice(texts.widget_offline);
    else if (handoffState === 'waiting') view.setNotice(texts.widget_waiting);
    else if (handoffState === 'coordinator') view.setNotice(texts.widget_coordinator_notice);
    else view.setNotice(null);
  }

  // shown: what the patient sees in the bubble (a quick reply's title);
  // payload: what the server gets (the quick reply's payload).
  function sendMessage(payload, shown) {
    const entry = { role: 'user', text: shown };
    remember(entry);
    view.addMessage(entry);
    connection.send(payload);
  }

  function showButtons(entry) {
    view.addButtons(entry.buttons, (choice) => {
      // Used up: don't offer this set again after a reload.
      delete entry.buttons;
      storage.saveTranscript(transcript);
      sendMessage(choice.payload, choice.title);
    });
  }

  function showBotMessage(data) {
    hideTyping();
    if (!data || typeof data !== 'object') return;
    const text = typeof data.text === 'string' ? data.text : '';
    const buttons = validButtons(data.quick_replies);
    // Attachments, custom payloads and other shapes have nothing to show.
    if (!text.trim() && !buttons.length) return;
    const entry = { role: 'bot', text };
    if (data.sender === 'coordinator') entry.sender = 'coordinator';
    if (buttons.length) entry.buttons = buttons;
    remember(entry);
    view.addMessage(entry);
    if (buttons.length) showButtons(entry);
  }

  const view = createView({
    texts,
    lang,
    dir: directionOf(lang),
    onSend: (text) => sendMessage(text, text),
    onOpenChange: (open) => storage.setOpen(open),
  });

  // Re-render the stored conversation before the root is attached, so screen
  // readers don't announce the whole history again on every page load.
  for (const entry of transcript) {
    view.addMessage(entry);
    if (entry.buttons) showButtons(entry);
  }
  view.mount();
  // Restore without stealing focus from the host page.
  if (wasOpen) view.setOpen(true, { focus: false });

  const connection = createConnection({
    server,
    language: lang,
    handlers: {
      onConnect() {
        offline = false;
        renderNotice();
      },
      onDisconnect() {
        offline = true;
        hideTyping();
        renderNotice();
      },
      onSessionConfirm() {
        view.setReady();
      },
      onSent() {
        showTyping();
      },
      onBotUttered: showBotMessage,
      onHandoffState(data) {
        const state = data && data.state;
        if (!HANDOFF_STATES.includes(state)) return;
        handoffState = state;
        view.setHandoffState(state);
        if (state !== 'assistant') hideTyping();
        renderNotice();
      },
    },
  });
}

function start() {
  // Guard against the tag being pasted twice.
  if (window.__patientGuideWidget || document.getElementById(ROOT_ID)) return;
  window.__patientGuideWidget = true;
  const server = resolveServer(ownScript);
  const lang = pickLanguage(browserLanguages());
  loadTexts(server, lang).then(({ texts }) => init(server, lang, texts));
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', start);
} else {
  start();
}
