"""A hash of our NLU code, put into our components' config.

Rasa decides what to retrain from fingerprints of component configs and
training data, not of component code. With this hash in the config, editing
the tokenizer or the language identifier retrains what depends on it, and
Rasa's training cache can still skip everything that did not change.
"""
import hashlib
from pathlib import Path

_NLU_DIR = Path(__file__).parent
_SOURCES = ("language_identifier.py", "language_detector.py", "scripts.py", "tokenizer.py", "serving_diet.py",
            "../languages.py")


def code_version() -> str:
    digest = hashlib.sha256()
    for name in _SOURCES:
        digest.update((_NLU_DIR / name).read_bytes())
    return digest.hexdigest()[:16]
