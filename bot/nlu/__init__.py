"""Custom Rasa NLU graph components: language detection, tokenisation, emergency guard."""
