"""Channel connectors: Telegram (python-telegram-bot) and WeChat (wechatpy), mounted by credentials.yml."""
# Every Rasa server we start loads a channel from here (credentials.yml), so
# this is where Rasa's speed fixes are applied; see bot/rasa_speedups.py.
from bot import rasa_speedups

rasa_speedups.apply()
