"""SLA clocks: due times by tier and priority, business hours, pauses, the sweep that warns
and escalates, and the helpdesk events that stop the clocks."""
