"""Channel connectors: Telegram (python-telegram-bot) and WeChat (wechatpy), mounted by credentials.yml."""
