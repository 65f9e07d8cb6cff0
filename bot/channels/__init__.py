"""Channel connectors: Telegram (python-telegram-bot) and WeChat (wechatpy), mounted by credentials.yml."""
# Every Rasa server we start loads a channel from here (credentials.yml), so
# this is where our changes to Rasa's own behaviour are applied: speed fixes
# (bot/rasa_speedups/), messages parsed in worker processes (bot/parse_worker/),
# the language slot's rules (bot/language_slot.py) and
# the handoff guard's view of the tracker Rasa saved (bot/handoff/guard.py) and
# logs without the patients' words (bot/log_hygiene.py), form answers the model took for an
# interruption (bot/form_interruptions.py).
from bot import form_interruptions, language_slot, log_hygiene, parse_worker, rasa_speedups
from bot.handoff import guard

log_hygiene.apply()
rasa_speedups.apply()
parse_worker.apply()
form_interruptions.apply()  # after the parse workers' wrapper: it needs the tracker, they do not
language_slot.apply()
guard.observe_saved_trackers()
