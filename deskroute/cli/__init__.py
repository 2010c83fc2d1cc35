"""The `deskroute` command line: thin commands over `deskroute.service`."""
