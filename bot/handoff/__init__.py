"""Coordinator handoff: the queue, the coordinator console, and the guard on every patient channel.

- store.py: the queue (in memory, or Redis when REDIS_URL is set)
- conversations.py: reading and appending to the conversation's Rasa tracker
- patients.py: how a reply reaches a patient on the channel they came from
- service.py: take, reply, hand back, waiting too long, erase
- guard.py: wraps each channel's handler (emergencies while paused, outages, oversized messages)
- accounts.py, console.py: coordinator logins and the /coordinator/ web console
"""
