"""Readers of form answers as patients type them: yes/no, a phone number or e-mail, a name."""
