"""The pieces of bench/workday.py: the day's arrivals, the team, the simulation and its figures."""
