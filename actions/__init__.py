"""The rasa-sdk action server: one module per topic (directory, booking, referral, ...)."""
