"""One module per resource: tickets, intake (e-mail, chat), outcomes, escalations, health."""
