// The socket.io conversation with the Rasa server (credentials.yml: socketio,
// user_uttered / bot_uttered, session_persistence: true).

import { io } from 'socket.io-client';
import * as storage from './storage.js';

export function createConnection({ server, language, handlers }) {
  let sessionId = storage.getSessionId();
  let confirmed = false;
  // Our own outbox instead of socket.io's send buffer: that buffer is flushed
  // before the "connect" handler runs, i.e. before session_request, and would
  // carry a stale session id. Ours is only flushed after session_confirm.
  const outbox = storage.loadOutbox();

  const socket = io(server, {
    path: '/socket.io',
    transports: ['websocket', 'polling'],
    // Fall back to long-polling when a proxy or firewall blocks WebSockets.
    tryAllTransports: true,
  });

  socket.on('connect', () => {
    confirmed = false;
    // Asking for the stored id lets the server continue the same conversation
    // after a reload or a reconnect.
    socket.emit('session_request', { session_id: sessionId || null });
    handlers.onConnect();
  });

  socket.on('session_confirm', (data) => {
    // Rasa sends the bare id; accept {session_id} too, to be forgiving.
    const id = typeof data === 'string' ? data : data && data.session_id;
    if (typeof id !== 'string' || !id) return;
    sessionId = id;
    storage.setSessionId(id);
    confirmed = true;
    // The server is the authority on whether a coordinator has taken over.
    socket.emit('handoff_state_request', { session_id: id });
    handlers.onSessionConfirm(id);
    flush();
  });

  socket.on('bot_uttered', (data) => handlers.onBotUttered(data));
  socket.on('handoff_state', (data) => handlers.onHandoffState(data));

  socket.on('disconnect', (reason) => {
    confirmed = false;
    handlers.onDisconnect();
    // socket.io reconnects by itself except when the server closed the socket
    // deliberately (e.g. a restart); the patient still expects the chat to come back.
    if (reason === 'io server disconnect') socket.connect();
  });

  // Also covers the very first connection attempt failing.
  socket.on('connect_error', () => handlers.onDisconnect());

  function flush() {
    while (confirmed && socket.connected && outbox.length) {
      const message = outbox[0];
      socket.emit('user_uttered', {
        message,
        session_id: sessionId,
        metadata: { language_hint: language },
      });
      outbox.shift();
      storage.saveOutbox(outbox);
      handlers.onSent(message);
    }
  }

  return {
    // Queues first so that nothing typed is lost while offline.
    send(message) {
      outbox.push(message);
      storage.saveOutbox(outbox);
      flush();
    },
    isOnline() {
      return confirmed && socket.connected;
    },
    socket,
  };
}
