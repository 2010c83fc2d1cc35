"""One module per node of the routing graph."""
