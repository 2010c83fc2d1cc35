"""The optional LLM path: providers, resilience, redaction and structured output."""
