"""The review web page at `/review`: server-rendered HTML for signed-in reviewers."""
