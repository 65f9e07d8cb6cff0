"""Coordinator handoff: the queue, the coordinator console, and the guard on every patient channel.

- store.py: the queue (in memory, or Redis when REDIS_URL is set)
- conversations.py: reading and appending to the conversation's Rasa tracker
- patients.py: how a reply reaches a patient on the channel they came from
- service.py: take, reply, hand back, waiting too long, erase
- case_summary.py: the case at a glance in the coordinator's language, from the tracker
  (reference_data.py: the forms' questions and the directory's names it shows)
- phrase_replies.py: the phrases (phrases.py) in both languages, pre-filled from the case
- audit.py: who opened, took, replied to, handed back or erased which conversation (no message text)
- guard.py: wraps each channel's handler (emergencies while paused, outages, oversized messages)
- console.py: the /coordinator/ web console and its API
- accounts.py: coordinator accounts and password checks
- login_throttle.py: login attempts counted before the password check, per account and client address
- sessions.py: console sessions the server can end (logout, "end all sessions", idle time)
- client_origin.py: the client's address and TLS behind trusted proxies
- console_settings.py: the console's settings, read once from the environment
"""
