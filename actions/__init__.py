"""The rasa-sdk action server: one module per topic (directory, booking, referral, ...)."""
from actions.startup import open_database_when_serving

open_database_when_serving()
