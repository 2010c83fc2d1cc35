"""The HTTP API: intake for chat and e-mail bots, ticket status and outcomes (FastAPI).

Routes are thin: they authenticate, call `deskroute.service`, and shape the answer.
"""
