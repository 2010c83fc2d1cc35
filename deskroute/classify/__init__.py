"""Classification: policy rules, the local trained model, and (later) an LLM, as a cascade."""
