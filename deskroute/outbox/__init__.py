"""The outbox: decisions delivered to helpdesk webhooks and Slack, at least once.

`events` shapes the decision events that `deskroute.store.outbox.add_event` queues in each
decision's transaction; `fanout` turns an event into one delivery per destination that wants
it; `deliver` sends due deliveries with retries, backoff and pacing; `loop` runs it inside
`deskroute serve`. Modules are imported where used: the store imports `events` on its hot path.
"""
