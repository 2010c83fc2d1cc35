"""Classification as a cascade: policy rules, the local trained model, then (when one is
configured) an LLM for the tickets the local model is unsure of, or all of them without one."""
