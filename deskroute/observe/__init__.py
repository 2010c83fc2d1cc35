"""Prometheus metrics (`GET /metrics`), read from the store at scrape time.

`deskroute serve` runs HTTP workers, routing processes and a keeper: a counter kept in one
process is invisible to the process a scrape reaches. So every figure comes from the store,
which all of them share: totals and levels by small grouped queries (`deskroute.store.
observe`); routing latency, LLM calls and model versions by a scan that reads each outcome
stored since the process started once (`scan`); `collector` shapes them for Prometheus. Only
the models this process loaded and the process's own resources are local."""
