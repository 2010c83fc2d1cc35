"""Intake: validate what callers send, normalise the text, detect the language."""
