"""The pieces of bench/alerts.py: the arrival profile, the simulated weeks with their
incidents, the replay of the alert rules over them, and the chart."""
