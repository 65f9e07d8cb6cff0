/*
 * Coordinator console for the patient-guidance assistant.
 *
 * Plain ES2019, no framework, no build step. Served by the Rasa server at
 * /coordinator/; the API lives under /coordinator/api/.
 *
 * Security rule for this file: every piece of server data (message text,
 * notes, names, ids, phrases) goes into the page through textContent or a
 * safe DOM property (title, dir, lang). No HTML string is ever parsed.
 */
(function () {
  "use strict";

  // Resolve the API next to this script rather than the page URL, so the
  // console still works when opened as /coordinator (no trailing slash).
  const SCRIPT_URL = (document.currentScript && document.currentScript.src) || document.baseURI;
  const API_BASE = new URL("api/", SCRIPT_URL);

  const MAX_REPLY_LENGTH = 2000;
  const TICK_MS = 5000; // how often waiting times are refreshed
  const FALLBACK_POLL_MS = 20000; // queue polling while the live stream is down
  const SESSION_CHECK_MS = 5000; // throttle for "is the session still valid?"
  const STORAGE_KEY = "patient-guide-console.ui-language";
  const CSRF_HEADER_VALUE = "patient-guide-console";

  // ---------------------------------------------------------------------
  // UI strings. Every visible label goes through t().
  // ---------------------------------------------------------------------
  const STRINGS = {
    en: {
      appTitle: "Coordinator console",
      productName: "Patient Guide",
      signInTitle: "Coordinator sign-in",
      username: "Username",
      password: "Password",
      signIn: "Sign in",
      signingIn: "Signing in…",
      missingCredentials: "Enter your username and password.",
      invalidCredentials: "Wrong username or password.",
      tooManyAttempts: "Too many sign-in attempts. Please wait a few minutes and try again.",
      sessionExpired: "Your session has ended. Please sign in again.",
      networkError: "Cannot reach the server. Check the connection and try again.",
      genericError: "Something went wrong (error {status}). Please try again.",
      signedInAs: "Signed in as",
      interfaceLanguage: "Interface language",
      logout: "Sign out",
      logoutEverywhere: "Sign out everywhere",
      dismiss: "Dismiss",
      live: "Live",
      reconnecting: "Reconnecting…",
      queueTitle: "Waiting for a person",
      queueEmpty: "No one is waiting right now.",
      queueEmptyHint: "New requests will appear here automatically.",
      urgent: "URGENT",
      callback: "Callback requested",
      stateWaiting: "Waiting",
      stateHeldBy: "Held by {name}",
      stateHeldByYou: "Held by you",
      stateYouHold: "You hold this conversation",
      waitingFor: "{time} in queue",
      durSeconds: "{n} s",
      durMinutes: "{n} min",
      durHours: "{h} h {m} min",
      channel_socketio: "Web chat",
      channel_telegram: "Telegram",
      channel_wechat: "WeChat",
      channel_rest: "API",
      unknownLanguage: "Unknown language",
      languageLabel: "Language: {name}",
      channelLabel: "Channel: {name}",
      noConversation: "Select a conversation from the queue.",
      conversationTitle: "Conversation {id}",
      loading: "Loading…",
      take: "Take conversation",
      handback: "Hand back to bot",
      transcript: "Transcript",
      emptyTranscript: "No messages yet.",
      rolePatient: "Patient",
      roleBot: "Bot",
      roleCoordinator: "Coordinator",
      roleCoordinatorNamed: "{name} (coordinator)",
      replyLabel: "Reply to the patient",
      send: "Send reply",
      sendShortcut: "Ctrl+Enter sends.",
      replyNeedsTake: "Take the conversation to reply.",
      charCount: "{n} / {max}",
      phrases: "Ready-made phrases",
      phrasesHint: "Already in the patient's language. Click to send.",
      noPhrases: "No ready-made phrases for this language.",
      notes: "Private notes",
      notesHint: "Only coordinators see notes. They are never sent to the patient.",
      noNotes: "No notes yet.",
      noteLabel: "New note",
      addNote: "Add note",
      cannotPush: "This channel cannot receive pushed replies; the reply is kept in the transcript.",
      heldByOther: "Held by another coordinator: {name}",
      notHolder: "You no longer hold this conversation. It is held by {name}.",
      notHolderNobody: "You no longer hold this conversation.",
      emptyMessage: "The message is empty.",
      tooLong: "The message is too long (maximum {max} characters).",
      notFound: "This conversation no longer exists.",
      unknownPhrase: "That ready-made phrase is no longer available. Please type the reply.",
      replySent: "Reply sent.",
      noteAdded: "Note added.",
      taken: "You now hold this conversation.",
      handedBack: "Conversation handed back to the bot."
    },
    zh: {
      appTitle: "协调员控制台",
      productName: "患者导诊",
      signInTitle: "协调员登录",
      username: "用户名",
      password: "密码",
      signIn: "登录",
      signingIn: "正在登录…",
      missingCredentials: "请输入用户名和密码。",
      invalidCredentials: "用户名或密码错误。",
      tooManyAttempts: "登录尝试次数过多，请几分钟后再试。",
      sessionExpired: "登录已失效，请重新登录。",
      networkError: "无法连接服务器，请检查网络后重试。",
      genericError: "出现错误（错误 {status}），请重试。",
      signedInAs: "当前用户",
      interfaceLanguage: "界面语言",
      logout: "退出登录",
      logoutEverywhere: "退出所有设备",
      dismiss: "关闭",
      live: "实时",
      reconnecting: "正在重新连接…",
      queueTitle: "等待人工服务",
      queueEmpty: "目前没有人在等待。",
      queueEmptyHint: "新的请求会自动显示在这里。",
      urgent: "紧急",
      callback: "请求回电",
      stateWaiting: "等待中",
      stateHeldBy: "由 {name} 接待",
      stateHeldByYou: "由您接待",
      stateYouHold: "您正在接待此会话",
      waitingFor: "已等待 {time}",
      durSeconds: "{n} 秒",
      durMinutes: "{n} 分钟",
      durHours: "{h} 小时 {m} 分钟",
      channel_socketio: "网页聊天",
      channel_telegram: "Telegram",
      channel_wechat: "微信",
      channel_rest: "API",
      unknownLanguage: "未知语言",
      languageLabel: "语言：{name}",
      channelLabel: "渠道：{name}",
      noConversation: "请从左侧队列中选择一个会话。",
      conversationTitle: "会话 {id}",
      loading: "正在加载…",
      take: "接待此会话",
      handback: "交还给机器人",
      transcript: "对话记录",
      emptyTranscript: "暂无消息。",
      rolePatient: "患者",
      roleBot: "机器人",
      roleCoordinator: "协调员",
      roleCoordinatorNamed: "{name}（协调员）",
      replyLabel: "回复患者",
      send: "发送回复",
      sendShortcut: "按 Ctrl+Enter 发送。",
      replyNeedsTake: "请先接待此会话再回复。",
      charCount: "{n} / {max}",
      phrases: "常用语",
      phrasesHint: "已是患者的语言，点击即可发送。",
      noPhrases: "该语言暂无常用语。",
      notes: "内部备注",
      notesHint: "备注仅协调员可见，绝不会发送给患者。",
      noNotes: "暂无备注。",
      noteLabel: "新备注",
      addNote: "添加备注",
      cannotPush: "该渠道无法接收主动推送的回复；回复将保留在对话记录中。",
      heldByOther: "已由其他协调员接待：{name}",
      notHolder: "您已不再接待此会话，当前接待人：{name}。",
      notHolderNobody: "您已不再接待此会话。",
      emptyMessage: "消息内容为空。",
      tooLong: "消息过长（最多 {max} 个字符）。",
      notFound: "该会话已不存在。",
      unknownPhrase: "该常用语已不可用，请手动输入回复。",
      replySent: "回复已发送。",
      noteAdded: "备注已添加。",
      taken: "您已接待此会话。",
      handedBack: "会话已交还给机器人。"
    }
  };

  // Patient languages are always shown by their own name, whatever the UI language.
  const LANGUAGE_NAMES = {
    "ar": "العربية",
    "zh-Hans": "简体中文",
    "zh-Hant": "繁體中文",
    "zh": "简体中文",
    "zh-CN": "简体中文",
    "zh-SG": "简体中文",
    "zh-TW": "繁體中文",
    "zh-HK": "繁體中文",
    "en": "English",
    "ja": "日本語",
    "ko": "한국어",
    "ru": "Русский",
    "fr": "Français",
    "de": "Deutsch",
    "es": "Español",
    "vi": "Tiếng Việt",
    "th": "ไทย"
  };

  const ROLE_CLASSES = { user: "user", bot: "bot", coordinator: "coordinator" };

  // ---------------------------------------------------------------------
  // State
  // ---------------------------------------------------------------------
  const state = {
    uiLang: "en",
    me: null,
    queue: [],
    queueSignature: "",
    clockOffset: 0, // browser clock minus server clock, in seconds
    openId: null,
    conversation: null,
    loadSeq: 0,
    rendered: { id: null, count: 0, lastKey: "" }, // what the transcript DOM shows
    drafts: new Map(), // unsent replies per conversation id
    pending: { take: false, handback: false, reply: false, note: false },
    banner: null, // {key, params} so it can be re-rendered on language change
    loginError: null,
    events: null,
    live: false,
    reconnectDelay: 1000,
    reconnectTimer: null,
    tickTimer: null,
    lastPoll: 0,
    lastSessionCheck: 0,
    queueLoading: false,
    queueReloadWanted: false,
    statusTimer: null
  };

  const els = {};

  // ---------------------------------------------------------------------
  // Small helpers
  // ---------------------------------------------------------------------
  function t(key, params) {
    const dict = STRINGS[state.uiLang] || STRINGS.en;
    let text = key in dict ? dict[key] : (key in STRINGS.en ? STRINGS.en[key] : key);
    if (params) {
      text = text.replace(/\{(\w+)\}/g, function (whole, name) {
        return name in params ? String(params[name]) : whole;
      });
    }
    return text;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function $(id) {
    return document.getElementById(id);
  }

  // Only well-formed BCP-47-looking tags become lang attributes.
  function safeLangTag(tag) {
    return typeof tag === "string" && tag !== "und" && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(tag) ? tag : "";
  }

  function languageName(tag) {
    if (!tag || tag === "und") return t("unknownLanguage");
    if (LANGUAGE_NAMES[tag]) return LANGUAGE_NAMES[tag];
    const lower = String(tag).toLowerCase();
    const exact = Object.keys(LANGUAGE_NAMES).find(function (k) { return k.toLowerCase() === lower; });
    if (exact) return LANGUAGE_NAMES[exact];
    const base = lower.split("-")[0];
    return LANGUAGE_NAMES[base] || String(tag);
  }

  function channelName(channel) {
    const key = "channel_" + channel;
    return STRINGS.en[key] ? t(key) : String(channel || "?");
  }

  function uiLocale() {
    return state.uiLang === "zh" ? "zh-CN" : "en-GB";
  }

  function formatTime(epochSeconds) {
    if (typeof epochSeconds !== "number") return "";
    const date = new Date(epochSeconds * 1000);
    const sameDay = date.toDateString() === new Date().toDateString();
    const options = sameDay
      ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }
      : { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    return new Intl.DateTimeFormat(uiLocale(), options).format(date);
  }

  function timeElement(epochSeconds) {
    const node = el("time", "time", formatTime(epochSeconds));
    if (typeof epochSeconds === "number") {
      const date = new Date(epochSeconds * 1000);
      node.dateTime = date.toISOString();
      node.title = date.toLocaleString(uiLocale());
    }
    return node;
  }

  function formatDuration(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    if (s < 60) return t("durSeconds", { n: s });
    if (s < 3600) return t("durMinutes", { n: Math.floor(s / 60) });
    return t("durHours", { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
  }

  function nowSeconds() {
    return Date.now() / 1000;
  }

  // Waiting time from "since", corrected for a skewed browser clock.
  function waitingSeconds(item) {
    return nowSeconds() - state.clockOffset - item.since;
  }

  function isMine(conv) {
    return Boolean(conv && state.me && conv.holder === state.me);
  }

  function canTake(conv) {
    return Boolean(conv) && !isMine(conv) && (conv.state === "waiting" || !conv.holder);
  }

  function stateText(conv, short) {
    if (isMine(conv)) return short ? t("stateHeldByYou") : t("stateYouHold");
    if (conv.holder) return t("stateHeldBy", { name: conv.holder });
    return t("stateWaiting");
  }

  // ---------------------------------------------------------------------
  // API
  // ---------------------------------------------------------------------
  class ApiError extends Error {
    constructor(status, data) {
      super("API error " + status);
      this.status = status;
      this.data = data || {};
    }
  }

  async function readJson(response) {
    try {
      return await response.json();
    } catch (err) {
      return {};
    }
  }

  async function api(path, options) {
    const method = (options && options.method) || "GET";
    const init = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (method !== "GET") {
      // The server refuses POSTs without this header (CSRF guard).
      init.headers["Content-Type"] = "application/json";
      init.headers["X-Requested-With"] = CSRF_HEADER_VALUE;
      init.body = JSON.stringify((options && options.body) || {});
    }
    let response;
    try {
      response = await fetch(new URL(path, API_BASE).href, init);
    } catch (err) {
      throw new ApiError(0, { error: "network" });
    }
    const data = await readJson(response);
    // A 401 anywhere except the login call itself means the session is gone.
    if (response.status === 401 && path !== "login") {
      sessionEnded();
    }
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }

  function conversationPath(id, action) {
    return "conversations/" + encodeURIComponent(String(id)) + (action ? "/" + action : "");
  }

  // Turns an API error into a {key, params} message, or null when nothing
  // should be shown (401 is handled by switching to the login form).
  function describeError(err) {
    if (!(err instanceof ApiError)) return { key: "genericError", params: { status: "?" } };
    const code = err.data && err.data.error;
    const holder = err.data && err.data.holder;
    if (err.status === 401) return null;
    if (err.status === 0) return { key: "networkError" };
    if (code === "held_by_other") return { key: "heldByOther", params: { name: holder || "?" } };
    if (code === "not_holder") return holder ? { key: "notHolder", params: { name: holder } } : { key: "notHolderNobody" };
    if (code === "empty") return { key: "emptyMessage" };
    if (code === "too_long") return { key: "tooLong", params: { max: MAX_REPLY_LENGTH } };
    if (code === "unknown_phrase") return { key: "unknownPhrase" };
    if (code === "not_found" || err.status === 404) return { key: "notFound" };
    if (code === "too_many_attempts" || err.status === 429) return { key: "tooManyAttempts" };
    return { key: "genericError", params: { status: err.status } };
  }

  // ---------------------------------------------------------------------
  // Banner and status messages
  // ---------------------------------------------------------------------
  function showError(message) {
    state.banner = message;
    renderBanner();
  }

  function clearError() {
    state.banner = null;
    renderBanner();
  }

  function renderBanner() {
    const msg = state.banner;
    els.errorBanner.textContent = msg ? t(msg.key, msg.params) : "";
    els.errorDismiss.hidden = !msg;
  }

  function showApiError(err) {
    const message = describeError(err);
    if (message) showError(message);
  }

  function showStatus(key) {
    els.statusMessage.textContent = t(key);
    clearTimeout(state.statusTimer);
    state.statusTimer = setTimeout(function () {
      els.statusMessage.textContent = "";
    }, 4000);
  }

  // ---------------------------------------------------------------------
  // Login / logout / session
  // ---------------------------------------------------------------------
  function showLogin(message) {
    resetSession();
    state.loginError = message || null;
    renderLoginError();
    els.mainView.hidden = true;
    els.loginView.hidden = false;
    els.password.value = "";
    els.loginButton.disabled = false;
    els.loginButton.textContent = t("signIn");
    (els.username.value ? els.password : els.username).focus();
  }

  function sessionEnded() {
    if (!els.loginView.hidden && !state.me) return; // already on the login form
    showLogin(state.me ? { key: "sessionExpired" } : null);
  }

  // Forget everything about the previous session, including patient data in the DOM.
  function resetSession() {
    stopEvents();
    clearInterval(state.tickTimer);
    state.tickTimer = null;
    state.me = null;
    state.queue = [];
    state.queueSignature = "";
    state.openId = null;
    state.conversation = null;
    state.loadSeq += 1;
    state.rendered = { id: null, count: 0, lastKey: "" };
    state.drafts.clear();
    state.banner = null;
    els.me.textContent = "";
    els.queue.textContent = "";
    els.transcript.textContent = "";
    els.notes.textContent = "";
    els.phrases.textContent = "";
    els.replyInput.value = "";
    els.noteInput.value = "";
    els.conversation.hidden = true;
    els.noConversation.hidden = false;
    renderBanner();
    updateTitle();
  }

  function renderLoginError() {
    const msg = state.loginError;
    els.loginError.textContent = msg ? t(msg.key, msg.params) : "";
    els.loginError.hidden = !msg;
  }

  function showMain(username) {
    state.me = username;
    state.loginError = null;
    els.me.textContent = username;
    els.loginView.hidden = true;
    els.mainView.hidden = false;
    renderConnection();
    renderQueue(true);
    refreshQueue();
    startEvents();
    state.tickTimer = setInterval(tick, TICK_MS);
  }

  async function onLoginSubmit(event) {
    event.preventDefault();
    const username = els.username.value.trim();
    const password = els.password.value;
    if (!username || !password) {
      state.loginError = { key: "missingCredentials" };
      renderLoginError();
      return;
    }
    els.loginButton.disabled = true;
    els.loginButton.textContent = t("signingIn");
    try {
      const data = await api("login", { method: "POST", body: { username: username, password: password } });
      els.password.value = "";
      showMain((data && data.username) || username);
    } catch (err) {
      const code = err instanceof ApiError ? err.status : -1;
      if (code === 401) state.loginError = { key: "invalidCredentials" };
      else if (code === 429) state.loginError = { key: "tooManyAttempts" };
      else state.loginError = describeError(err);
      renderLoginError();
      els.password.value = "";
      els.password.focus();
    } finally {
      els.loginButton.disabled = false;
      els.loginButton.textContent = t("signIn");
    }
  }

  // "Sign out" ends this session; "Sign out everywhere" every session of the account
  // (another computer, a lost phone). The server forgets them, so copied cookies stop working.
  async function signOut(path, button) {
    button.disabled = true;
    try {
      await api(path, { method: "POST", body: {} });
    } catch (err) {
      // Signing out locally matters more than the server's answer.
    } finally {
      button.disabled = false;
      showLogin(null);
    }
  }

  function onLogout() {
    return signOut("logout", els.logoutButton);
  }

  function onLogoutEverywhere() {
    return signOut("sessions/end-all", els.logoutEverywhereButton);
  }

  // EventSource hides the HTTP status, so after a stream error we ask /me;
  // a 401 there switches to the login form through api().
  function checkSessionSoon() {
    if (Date.now() - state.lastSessionCheck < SESSION_CHECK_MS) return;
    state.lastSessionCheck = Date.now();
    api("me").catch(function () { /* 401 already handled; others: stream will retry */ });
  }

  // ---------------------------------------------------------------------
  // Live updates (Server-Sent Events)
  // ---------------------------------------------------------------------
  function startEvents() {
    stopEvents();
    if (!("EventSource" in window)) return; // the tick's fallback polling covers this
    const source = new EventSource(new URL("events", API_BASE).href);
    state.events = source;
    source.addEventListener("open", function () {
      if (source !== state.events) return;
      state.reconnectDelay = 1000;
      setLive(true);
      // Catch up on anything missed while disconnected.
      refreshQueue();
      if (state.openId !== null) loadConversation();
    });
    source.addEventListener("queue", function () {
      refreshQueue();
    });
    source.addEventListener("conversation", function (event) {
      const id = eventConversationId(event);
      if (id !== null && state.openId !== null && String(id) === String(state.openId)) loadConversation();
      refreshQueue();
    });
    source.addEventListener("error", function () {
      onEventsError(source);
    });
  }

  function eventConversationId(event) {
    try {
      const data = JSON.parse(event.data);
      return data && data.id !== undefined ? data.id : null;
    } catch (err) {
      return null;
    }
  }

  function onEventsError(source) {
    if (source !== state.events) return;
    setLive(false);
    checkSessionSoon();
    // The browser retries by itself unless it gave up (CLOSED), e.g. after a
    // non-200 answer; then we retry with a growing delay.
    if (source.readyState === EventSource.CLOSED) {
      clearTimeout(state.reconnectTimer);
      state.reconnectTimer = setTimeout(function () {
        if (state.me && state.events === source) startEvents();
      }, state.reconnectDelay);
      state.reconnectDelay = Math.min(state.reconnectDelay * 2, 30000);
    }
  }

  function stopEvents() {
    clearTimeout(state.reconnectTimer);
    if (state.events) state.events.close();
    state.events = null;
    setLive(false);
  }

  function setLive(live) {
    state.live = live;
    renderConnection();
  }

  function renderConnection() {
    els.connection.textContent = state.live ? t("live") : t("reconnecting");
    els.connection.classList.toggle("is-live", state.live);
  }

  // Runs every few seconds: waiting times, and polling while the stream is down.
  function tick() {
    updateWaitingTimes();
    if (!state.live && state.me && Date.now() - state.lastPoll > FALLBACK_POLL_MS) refreshQueue();
  }

  // ---------------------------------------------------------------------
  // Queue
  // ---------------------------------------------------------------------
  // Coalesces bursts of events into at most one request in flight plus one follow-up.
  async function refreshQueue() {
    if (!state.me) return;
    if (state.queueLoading) {
      state.queueReloadWanted = true;
      return;
    }
    state.queueLoading = true;
    state.lastPoll = Date.now();
    try {
      const data = await api("queue");
      if (!state.me) return;
      state.queue = Array.isArray(data.conversations) ? data.conversations : [];
      calibrateClock(state.queue);
      renderQueue(false);
    } catch (err) {
      if (err.status !== 401 && err.status !== 0) showApiError(err);
    } finally {
      state.queueLoading = false;
      if (state.queueReloadWanted) {
        state.queueReloadWanted = false;
        refreshQueue();
      }
    }
  }

  // The server sends both "since" and "waiting_seconds"; their difference
  // tells how far the browser clock is off.
  function calibrateClock(items) {
    const sample = items.find(function (item) {
      return typeof item.since === "number" && typeof item.waiting_seconds === "number";
    });
    if (sample) state.clockOffset = nowSeconds() - (sample.since + sample.waiting_seconds);
  }

  // Urgent first (newest urgent on top), then the longest waiting.
  function compareQueue(a, b) {
    if (Boolean(a.urgent) !== Boolean(b.urgent)) return a.urgent ? -1 : 1;
    if (a.urgent) return (b.since || 0) - (a.since || 0);
    return (a.since || 0) - (b.since || 0);
  }

  function renderQueue(force) {
    const items = state.queue.slice().sort(compareQueue);
    // Rebuilding an aria-live list re-announces it, so skip identical data.
    const signature = JSON.stringify([state.uiLang, state.me, state.openId, items.map(queueKey)]);
    if (!force && signature === state.queueSignature) return;
    state.queueSignature = signature;

    const focusedId = focusedQueueId();
    const fragment = document.createDocumentFragment();
    if (items.length === 0) {
      fragment.appendChild(renderEmptyQueue());
    } else {
      items.forEach(function (item) { fragment.appendChild(renderQueueItem(item)); });
    }
    els.queue.textContent = "";
    els.queue.appendChild(fragment);
    els.queueCount.textContent = items.length ? "(" + items.length + ")" : "";
    restoreQueueFocus(focusedId);
    updateTitle();
  }

  function queueKey(item) {
    const last = lastPatientMessage(item);
    return [item.id, item.state, item.holder, item.since, item.urgent, item.callback_requested,
      item.language, item.channel, last ? last.text : ""];
  }

  function renderEmptyQueue() {
    const li = el("li", "queue-empty");
    li.appendChild(el("p", "queue-empty-title", t("queueEmpty")));
    li.appendChild(el("p", "hint", t("queueEmptyHint")));
    return li;
  }

  function renderQueueItem(item) {
    const li = el("li", "queue-item");
    li.setAttribute("data-conversation-id", String(item.id));
    if (item.urgent) li.classList.add("is-urgent");
    if (isMine(item)) li.classList.add("is-mine");

    const button = el("button", "queue-open");
    button.type = "button";
    if (state.openId !== null && String(item.id) === String(state.openId)) {
      button.setAttribute("aria-current", "true");
      li.classList.add("is-open");
    }

    const top = el("span", "queue-row");
    top.appendChild(languageBadge(item.language, "lang-badge"));
    top.appendChild(el("span", "channel", channelName(item.channel)));
    if (item.urgent) top.appendChild(el("span", "urgent", t("urgent")));
    if (item.callback_requested) top.appendChild(el("span", "callback", t("callback")));
    button.appendChild(top);

    const middle = el("span", "queue-row queue-row-status");
    middle.appendChild(el("span", "queue-state" + (item.holder ? " is-held" : ""), stateText(item, true)));
    middle.appendChild(waitElement(item));
    button.appendChild(middle);

    const last = lastPatientMessage(item);
    if (last && last.text) {
      const preview = el("span", "preview", last.text);
      preview.dir = "auto";
      const tag = safeLangTag(last.language);
      if (tag) preview.lang = tag;
      button.appendChild(preview);
    }

    li.appendChild(button);
    return li;
  }

  // The wait time is a single text node updated in place, so the
  // aria-live queue does not re-announce every few seconds.
  function waitElement(item) {
    const span = el("span", "wait");
    span.setAttribute("data-since", String(item.since));
    span.appendChild(document.createTextNode(waitText(item)));
    return span;
  }

  function waitText(item) {
    return typeof item.since === "number" ? t("waitingFor", { time: formatDuration(waitingSeconds(item)) }) : "";
  }

  function updateWaitingTimes() {
    els.queue.querySelectorAll(".wait").forEach(function (span) {
      const since = Number(span.getAttribute("data-since"));
      if (!Number.isFinite(since) || !span.firstChild) return;
      span.firstChild.nodeValue = waitText({ since: since });
    });
  }

  function lastPatientMessage(item) {
    const messages = Array.isArray(item.last_messages) ? item.last_messages : [];
    for (let i = messages.length - 1; i >= 0; i -= 1) {
      if (messages[i] && messages[i].role === "user") return messages[i];
    }
    return messages.length ? messages[messages.length - 1] : null;
  }

  function languageBadge(tag, className) {
    const span = el("span", className, languageName(tag));
    const safe = safeLangTag(tag);
    if (safe) span.lang = safe;
    span.dir = "auto";
    span.title = t("languageLabel", { name: tag || "und" });
    return span;
  }

  function focusedQueueId() {
    const active = document.activeElement;
    const li = active && els.queue.contains(active) ? active.closest(".queue-item") : null;
    return li ? li.getAttribute("data-conversation-id") : null;
  }

  function restoreQueueFocus(id) {
    if (id === null) return;
    const button = Array.from(els.queue.querySelectorAll(".queue-item")).find(function (li) {
      return li.getAttribute("data-conversation-id") === id;
    });
    if (button) button.querySelector("button").focus();
  }

  function onQueueClick(event) {
    const li = event.target.closest(".queue-item");
    if (!li || !els.queue.contains(li)) return;
    openConversation(li.getAttribute("data-conversation-id"), true);
  }

  // Background tabs still show how many patients wait.
  function updateTitle() {
    const count = state.me ? state.queue.length : 0;
    document.title = (count ? "(" + count + ") " : "") + t("appTitle");
  }

  // ---------------------------------------------------------------------
  // Conversation
  // ---------------------------------------------------------------------
  function openConversation(id, moveFocus) {
    if (id === null || id === undefined) return;
    saveDraft();
    clearError();
    state.openId = String(id);
    state.conversation = null;
    state.rendered = { id: null, count: 0, lastKey: "" };
    els.noConversation.hidden = true;
    els.conversation.hidden = false;
    els.conversationTitle.textContent = t("conversationTitle", { id: state.openId });
    els.conversationState.textContent = t("loading");
    els.conversationBadges.textContent = "";
    els.transcript.textContent = "";
    els.notes.textContent = "";
    els.phrases.textContent = "";
    els.pushWarning.hidden = true;
    els.replyInput.value = state.drafts.get(state.openId) || "";
    els.noteInput.value = "";
    updateControls();
    renderQueue(false);
    loadConversation().then(function () {
      if (moveFocus && state.conversation) els.conversationTitle.focus();
    });
  }

  function closeConversation() {
    state.openId = null;
    state.conversation = null;
    state.rendered = { id: null, count: 0, lastKey: "" };
    els.conversation.hidden = true;
    els.noConversation.hidden = false;
    renderQueue(false);
  }

  function saveDraft() {
    if (state.openId === null) return;
    const text = els.replyInput.value;
    if (text) state.drafts.set(state.openId, text);
    else state.drafts.delete(state.openId);
  }

  // Only the newest request's answer is rendered, so fast event bursts or
  // switching conversations never show stale data.
  async function loadConversation() {
    if (state.openId === null || !state.me) return;
    const id = state.openId;
    const seq = ++state.loadSeq;
    try {
      const data = await api(conversationPath(id));
      if (seq !== state.loadSeq || id !== state.openId) return;
      state.conversation = data;
      renderConversation();
    } catch (err) {
      if (seq !== state.loadSeq || id !== state.openId) return;
      if (err.status === 404) {
        showError({ key: "notFound" });
        closeConversation();
      } else {
        showApiError(err);
      }
    }
  }

  function renderConversation() {
    const conv = state.conversation;
    if (!conv) return;
    els.conversationTitle.textContent = t("conversationTitle", { id: conv.id });
    els.conversationState.textContent = stateText(conv, false);
    els.conversationState.classList.toggle("is-mine", isMine(conv));
    els.conversationState.classList.toggle("is-held", Boolean(conv.holder) && !isMine(conv));
    renderBadges(conv);
    els.pushWarning.hidden = conv.can_push !== false;
    renderTranscript(conv);
    renderPhrases(conv);
    renderNotes(conv);
    updateControls();
  }

  function renderBadges(conv) {
    const box = els.conversationBadges;
    box.textContent = "";
    box.appendChild(languageBadge(conv.language, "lang-badge"));
    const channel = el("span", "channel", channelName(conv.channel));
    channel.title = t("channelLabel", { name: channelName(conv.channel) });
    box.appendChild(channel);
    if (conv.urgent) box.appendChild(el("span", "urgent", t("urgent")));
    if (conv.callback_requested) box.appendChild(el("span", "callback", t("callback")));
  }

  // Appends only new messages when the transcript just grew, so screen
  // readers announce the new lines and the scroll position is kept.
  function renderTranscript(conv) {
    const list = Array.isArray(conv.transcript) ? conv.transcript : [];
    const box = els.transcript;
    const r = state.rendered;
    const grows = r.id === String(conv.id) && r.count > 0 && list.length >= r.count &&
      messageKey(list[r.count - 1]) === r.lastKey;
    const nearBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;

    if (!grows) {
      box.textContent = "";
      state.rendered = { id: String(conv.id), count: 0, lastKey: "" };
      if (list.length === 0) {
        box.appendChild(el("p", "empty", t("emptyTranscript")));
        return;
      }
    }
    const fragment = document.createDocumentFragment();
    for (let i = state.rendered.count; i < list.length; i += 1) fragment.appendChild(renderMessage(list[i]));
    box.appendChild(fragment);
    state.rendered.count = list.length;
    state.rendered.lastKey = messageKey(list[list.length - 1]);
    if (!grows || nearBottom) box.scrollTop = box.scrollHeight;
  }

  function messageKey(msg) {
    return msg ? [msg.role, msg.at, msg.author, msg.text].join("\u0000") : "";
  }

  function renderMessage(msg) {
    const role = ROLE_CLASSES[msg.role] || "bot";
    const div = el("div", "msg " + role);
    div.dir = "auto";

    // Meta line follows the interface direction, not the message's.
    const meta = el("div", "msg-meta");
    meta.dir = "ltr";
    meta.appendChild(el("span", "author", authorLabel(msg)));
    if (msg.role === "user") meta.appendChild(languageBadge(msg.language, "lang"));
    meta.appendChild(timeElement(msg.at));
    div.appendChild(meta);

    const text = el("p", "msg-text", msg.text);
    text.dir = "auto";
    const tag = safeLangTag(msg.role === "user" ? msg.language : "");
    if (tag) text.lang = tag;
    div.appendChild(text);
    return div;
  }

  function authorLabel(msg) {
    if (msg.role === "user") return t("rolePatient");
    if (msg.role === "coordinator") return msg.author ? t("roleCoordinatorNamed", { name: msg.author }) : t("roleCoordinator");
    return t("roleBot");
  }

  function renderPhrases(conv) {
    const box = els.phrases;
    box.textContent = "";
    const phrases = Array.isArray(conv.phrases) ? conv.phrases : [];
    if (phrases.length === 0) {
      box.appendChild(el("p", "hint", t("noPhrases")));
      return;
    }
    const tag = safeLangTag(conv.language);
    phrases.forEach(function (phrase) {
      const button = el("button", "phrase", phrase.text);
      button.type = "button";
      button.dir = "auto";
      button.title = String(phrase.text);
      if (tag) button.lang = tag;
      button.setAttribute("data-phrase-key", String(phrase.key));
      box.appendChild(button);
    });
  }

  function renderNotes(conv) {
    const list = els.notes;
    list.textContent = "";
    const notes = Array.isArray(conv.notes) ? conv.notes : [];
    if (notes.length === 0) {
      list.appendChild(el("li", "empty", t("noNotes")));
      return;
    }
    notes.forEach(function (note) {
      const li = el("li", "note");
      const meta = el("div", "note-meta");
      meta.appendChild(el("span", "author", note.author));
      meta.appendChild(timeElement(note.at));
      li.appendChild(meta);
      const text = el("p", "note-text", note.text);
      text.dir = "auto";
      li.appendChild(text);
      list.appendChild(li);
    });
  }

  // One place decides which controls are usable.
  function updateControls() {
    const conv = state.conversation;
    const mine = isMine(conv);
    const p = state.pending;
    els.takeButton.disabled = !canTake(conv) || p.take;
    els.handbackButton.disabled = !mine || p.handback;
    els.replyButton.disabled = !mine || p.reply;
    els.noteButton.disabled = !conv || p.note;
    els.phrases.querySelectorAll("button.phrase").forEach(function (button) {
      button.disabled = !mine || p.reply;
    });
    els.replyHint.textContent = conv && !mine ? t("replyNeedsTake") : t("sendShortcut");
    updateCharCount();
  }

  function updateCharCount() {
    const n = els.replyInput.value.length;
    els.replyCount.textContent = t("charCount", { n: n, max: MAX_REPLY_LENGTH });
    els.replyCount.classList.toggle("over", n > MAX_REPLY_LENGTH);
  }

  // Runs a POST for the open conversation with its button locked, then
  // reloads the conversation and queue so the view matches the server.
  async function conversationAction(kind, action, body, successKey) {
    const conv = state.conversation;
    if (!conv || state.pending[kind]) return false;
    const id = state.openId;
    state.pending[kind] = true;
    updateControls();
    let ok = false;
    try {
      await api(conversationPath(id, action), { method: "POST", body: body });
      ok = true;
      clearError();
      if (successKey) showStatus(successKey);
    } catch (err) {
      showApiError(err);
    } finally {
      state.pending[kind] = false;
      updateControls();
    }
    if (state.me && id === state.openId) await loadConversation();
    refreshQueue();
    return ok;
  }

  async function onTake() {
    const ok = await conversationAction("take", "take", {}, "taken");
    if (ok) els.replyInput.focus();
  }

  async function onHandback() {
    await conversationAction("handback", "handback", {}, "handedBack");
  }

  async function onReplySubmit(event) {
    event.preventDefault();
    if (!isMine(state.conversation)) {
      showError({ key: "notHolderNobody" });
      return;
    }
    const text = els.replyInput.value.trim();
    if (!text) {
      showError({ key: "emptyMessage" });
      return;
    }
    if (text.length > MAX_REPLY_LENGTH) {
      showError({ key: "tooLong", params: { max: MAX_REPLY_LENGTH } });
      return;
    }
    const id = state.openId;
    const ok = await conversationAction("reply", "reply", { text: text }, "replySent");
    if (ok) {
      state.drafts.delete(id);
      if (id === state.openId) {
        els.replyInput.value = "";
        updateCharCount();
      }
    }
  }

  function onPhraseClick(event) {
    const button = event.target.closest("button.phrase");
    if (!button || button.disabled || !isMine(state.conversation)) return;
    conversationAction("reply", "reply", { phrase: button.getAttribute("data-phrase-key") }, "replySent");
  }

  async function onNoteSubmit(event) {
    event.preventDefault();
    const text = els.noteInput.value.trim();
    if (!text) {
      showError({ key: "emptyMessage" });
      return;
    }
    const id = state.openId;
    const ok = await conversationAction("note", "note", { text: text }, "noteAdded");
    if (ok && id === state.openId) els.noteInput.value = "";
  }

  // Ctrl/Cmd+Enter submits the form the textarea belongs to.
  function submitOnCtrlEnter(event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      event.target.form.requestSubmit ? event.target.form.requestSubmit() : event.target.form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  }

  // ---------------------------------------------------------------------
  // Interface language
  // ---------------------------------------------------------------------
  function initialUiLanguage() {
    let stored = null;
    try {
      stored = window.localStorage.getItem(STORAGE_KEY);
    } catch (err) {
      stored = null; // storage can be blocked; fall back to the browser language
    }
    if (stored && STRINGS[stored]) return stored;
    const browser = (navigator.language || "en").toLowerCase();
    return browser.indexOf("zh") === 0 ? "zh" : "en";
  }

  function setUiLanguage(lang) {
    if (!STRINGS[lang]) return;
    state.uiLang = lang;
    try {
      window.localStorage.setItem(STORAGE_KEY, lang);
    } catch (err) {
      // Not fatal: the choice just will not survive a reload.
    }
    applyUiLanguage();
  }

  function applyUiLanguage() {
    document.documentElement.lang = state.uiLang === "zh" ? "zh-Hans" : "en";
    document.querySelectorAll("[data-i18n]").forEach(function (node) {
      node.textContent = t(node.getAttribute("data-i18n"));
    });
    els.uiLanguage.value = state.uiLang;
    els.loginUiLanguage.value = state.uiLang;
    updateTitle();
    renderLoginError();
    renderBanner();
    renderConnection();
    if (state.me) {
      renderQueue(true);
      if (state.conversation) {
        state.rendered = { id: null, count: 0, lastKey: "" }; // force a full re-render
        renderConversation();
      } else if (state.openId !== null) {
        els.conversationTitle.textContent = t("conversationTitle", { id: state.openId });
        els.conversationState.textContent = t("loading");
      }
    }
    updateControls();
  }

  // ---------------------------------------------------------------------
  // Start-up
  // ---------------------------------------------------------------------
  function collectElements() {
    [
      "login-view", "login-form", "username", "password", "login-button", "login-error", "login-ui-language",
      "main-view", "me", "ui-language", "logout-button", "logout-everywhere-button", "connection",
      "error-banner", "error-dismiss", "status-message",
      "queue", "queue-count", "no-conversation", "conversation", "conversation-title",
      "conversation-badges", "conversation-state", "take-button", "handback-button", "push-warning",
      "transcript", "reply-form", "reply-input", "reply-hint", "reply-count", "reply-button",
      "phrases", "notes", "note-form", "note-input", "note-button"
    ].forEach(function (id) {
      const key = id.replace(/-([a-z])/g, function (m, c) { return c.toUpperCase(); });
      els[key] = $(id);
    });
  }

  function bindEvents() {
    els.loginForm.addEventListener("submit", onLoginSubmit);
    els.logoutButton.addEventListener("click", onLogout);
    els.logoutEverywhereButton.addEventListener("click", onLogoutEverywhere);
    els.uiLanguage.addEventListener("change", function () { setUiLanguage(els.uiLanguage.value); });
    els.loginUiLanguage.addEventListener("change", function () { setUiLanguage(els.loginUiLanguage.value); });
    els.errorDismiss.addEventListener("click", clearError);
    els.queue.addEventListener("click", onQueueClick);
    els.takeButton.addEventListener("click", onTake);
    els.handbackButton.addEventListener("click", onHandback);
    els.replyForm.addEventListener("submit", onReplySubmit);
    els.replyInput.addEventListener("input", updateCharCount);
    els.replyInput.addEventListener("keydown", submitOnCtrlEnter);
    els.noteForm.addEventListener("submit", onNoteSubmit);
    els.noteInput.addEventListener("keydown", submitOnCtrlEnter);
    els.phrases.addEventListener("click", onPhraseClick);
  }

  async function boot() {
    collectElements();
    state.uiLang = initialUiLanguage();
    bindEvents();
    applyUiLanguage();
    try {
      const data = await api("me");
      showMain(data.username);
    } catch (err) {
      // 401 has already shown the login form; anything else still needs it.
      if (!state.me) showLogin(err.status === 401 ? null : describeError(err));
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", boot);
  } else {
    boot();
  }
})();
