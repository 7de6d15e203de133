"""`python -m dutygraph.api.cli`."""

from dutygraph.api.cli import app

app()
