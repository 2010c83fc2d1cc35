"""Prometheus metrics (`GET /metrics`), read from the store at scrape time.

`deskroute serve` runs HTTP workers, routing processes and a keeper: a counter kept in one
process is invisible to the process a scrape reaches. So every figure comes from the store,
which all of them share: counts and levels by small grouped queries (`deskroute.store.
observe`), routing runs, their latency and their LLM calls by a scan that reads each outcome
once (`scan`), and `collector` shapes them for Prometheus. Only the model this process loaded
and the process's own resources are local."""
