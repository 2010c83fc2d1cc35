"""`deskroute audit`: today's flow measured from a helpdesk's event log, before routing anything.

The figures it gives (reassignment rate, time to assignment and resolution, SLA attainment,
reopens, reassignment chains, load over people) are the "before" that later reports compare
against."""
