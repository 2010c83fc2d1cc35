"""Assignment after routing: the best available agent for each ticket that needs a person."""
