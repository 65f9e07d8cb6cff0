"""Multilingual patient-guidance assistant: our Rasa components, channels and handoff."""
