"""Channel connectors: REST, the web widget, Telegram (python-telegram-bot) and WeChat (wechatpy),
mounted by credentials.yml."""
# Every Rasa server we start loads a channel from here (credentials.yml), so this is where
# the project plugs into Rasa: bot/server/ applies every replacement of Rasa code (after
# checking Rasa's version) and wires the channels to what they share before Rasa mounts them.
from bot import server

server.plug_in()
