// The widget's DOM. Message content only ever goes in through textContent, so
// whatever the server or a patient sends (e.g. "<img src=x onerror=...>") is
// shown as literal text and never parsed as HTML.

import { injectStyles } from './styles.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
// Material-style icons, static paths (no message content involved).
const ICON_CHAT = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2zm2 5v2h12V9H6zm0 4v2h8v-2H6z';
const ICON_CLOSE = 'M18.3 5.7 12 12l6.3 6.3-1.4 1.4L10.6 13.4 4.3 19.7 2.9 18.3 9.2 12 2.9 5.7l1.4-1.4 6.3 6.3 6.3-6.3z';

function el(doc, tag, attrs = {}, text) {
  const node = doc.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function icon(doc, d) {
  const svg = doc.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = doc.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', d);
  svg.appendChild(path);
  return svg;
}

export function createView({ doc = document, texts, lang, dir, onSend, onOpenChange }) {
  injectStyles(doc);

  const root = el(doc, 'div', { id: 'patient-guide-widget', class: 'pg-root', lang, dir });

  const launcher = el(doc, 'button', {
    id: 'pg-launcher',
    class: 'pg-launcher',
    type: 'button',
    'aria-controls': 'pg-panel',
    'aria-expanded': 'false',
    'aria-label': texts.widget_open,
  });
  const launcherOpenIcon = icon(doc, ICON_CHAT);
  const launcherCloseIcon = icon(doc, ICON_CLOSE);
  launcher.append(launcherOpenIcon, launcherCloseIcon);

  // Non-modal dialog: the host page stays usable while the chat is open.
  const panel = el(doc, 'div', { id: 'pg-panel', class: 'pg-panel', role: 'dialog', 'aria-label': texts.widget_title });
  panel.hidden = true;

  const header = el(doc, 'div', { class: 'pg-header' });
  const title = el(doc, 'div', { class: 'pg-title' }, texts.widget_title);
  const closeButton = el(doc, 'button', { class: 'pg-close', type: 'button', 'aria-label': texts.widget_close });
  closeButton.appendChild(icon(doc, ICON_CLOSE));
  header.append(title, closeButton);

  // role=status so screen readers hear "waiting for a coordinator" / "offline".
  const notice = el(doc, 'div', { id: 'pg-notice', class: 'pg-notice', role: 'status' });
  notice.hidden = true;

  // tabindex: keyboard users can scroll the history.
  const log = el(doc, 'div', { id: 'pg-log', class: 'pg-log', role: 'log', 'aria-live': 'polite', tabindex: '0' });

  const typing = el(doc, 'div', { id: 'pg-typing', class: 'pg-typing' }, texts.widget_typing);
  typing.hidden = true;

  const form = el(doc, 'form', { class: 'pg-form', novalidate: '' });
  const label = el(doc, 'label', { for: 'pg-input', class: 'pg-visually-hidden' }, texts.widget_placeholder);
  const input = el(doc, 'input', {
    id: 'pg-input',
    class: 'pg-input',
    type: 'text',
    autocomplete: 'off',
    maxlength: '2000',
    placeholder: texts.widget_placeholder,
  });
  const sendButton = el(doc, 'button', { id: 'pg-send', class: 'pg-send', type: 'submit' }, texts.widget_send);
  form.append(label, input, sendButton);

  panel.append(header, notice, log, typing, form);
  root.append(launcher, panel);

  function isOpen() {
    return !panel.hidden;
  }

  function setOpen(open, { focus = true } = {}) {
    panel.hidden = !open;
    launcher.setAttribute('aria-expanded', open ? 'true' : 'false');
    launcher.setAttribute('aria-label', open ? texts.widget_close : texts.widget_open);
    launcherOpenIcon.style.display = open ? 'none' : '';
    launcherCloseIcon.style.display = open ? '' : 'none';
    if (open) {
      scrollToEnd();
      if (focus) input.focus();
    } else if (focus) {
      launcher.focus();
    }
    onOpenChange(open);
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  launcher.addEventListener('click', () => setOpen(!isOpen()));
  closeButton.addEventListener('click', () => setOpen(false));
  root.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && isOpen()) {
      event.stopPropagation();
      setOpen(false); // returns focus to the launcher
    }
  });
  // A form gives Enter-to-send for free, also from the send button.
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    onSend(text);
    input.focus();
  });

  const ROLE_CLASS = { user: 'pg-user', bot: 'pg-bot', coordinator: 'pg-coordinator' };

  // entry: {role: "user"|"bot", text, sender?}. The label sits beside the
  // bubble (not inside) so .pg-msg holds exactly the message text.
  function addMessage(entry) {
    if (!entry.text) return null;
    const kind = entry.role === 'user' ? 'user' : entry.sender === 'coordinator' ? 'coordinator' : 'bot';
    const labelText =
      kind === 'user' ? texts.widget_label_you : kind === 'coordinator' ? texts.widget_label_coordinator : texts.widget_label_assistant;
    const wrapper = el(doc, 'div', { class: `pg-entry pg-entry-${kind}` });
    const who = el(doc, 'div', { class: 'pg-label' }, labelText);
    // dir=auto: a message's own script decides its direction (an English
    // address inside an Arabic conversation still reads correctly).
    const bubble = el(doc, 'div', { class: `pg-msg ${ROLE_CLASS[kind]}`, dir: 'auto' });
    bubble.appendChild(doc.createTextNode(entry.text));
    wrapper.append(who, bubble);
    log.appendChild(wrapper);
    scrollToEnd();
    return wrapper;
  }

  // Quick replies: one real <button> each; the whole set goes away after a pick
  // so the same answer cannot be sent twice.
  function addButtons(buttons, onPick) {
    const group = el(doc, 'div', { class: 'pg-buttons', role: 'group' });
    for (const item of buttons) {
      const button = el(doc, 'button', { class: 'pg-button', type: 'button', dir: 'auto' }, item.title);
      button.addEventListener('click', () => {
        if (!group.isConnected) return;
        group.remove();
        input.focus(); // the focused button is gone; keep focus in the chat
        onPick(item);
      });
      group.appendChild(button);
    }
    log.appendChild(group);
    scrollToEnd();
    return group;
  }

  function setNotice(text) {
    notice.textContent = text || '';
    notice.hidden = !text;
  }

  function setTyping(on) {
    typing.hidden = !on;
    if (on) scrollToEnd();
  }

  function setHandoffState(state) {
    root.setAttribute('data-handoff-state', state);
  }

  function setReady() {
    root.setAttribute('data-ready', 'true');
  }

  function mount() {
    doc.body.appendChild(root);
  }

  launcherCloseIcon.style.display = 'none'; // starts closed

  return { root, isOpen, setOpen, addMessage, addButtons, setNotice, setTyping, setHandoffState, setReady, mount };
}
