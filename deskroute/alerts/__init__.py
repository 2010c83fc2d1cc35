"""Alerts on routing figures: a spike in one category's tickets (an outage), in escalations,
reassignments, reviewers' corrections or failed LLM calls, dead outbox deliveries, a queue
too deep for the agents online.

`detect` holds the pure tests over counts (the benchmark replays them); `check` reads the
counts of now from the store, raises each incident's alert once and queues it for Slack
through the outbox; `loop` runs the check inside `deskroute serve`. The rules are
`policies/alerts.yaml`."""
