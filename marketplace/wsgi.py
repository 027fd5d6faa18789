"""The WSGI entry point for gunicorn: `gunicorn marketplace.wsgi:app`."""

from marketplace import create_app
from marketplace.matching_service import warm_up

app = create_app()
warm_up(app)  # each worker imports this after forking: the model is built in every worker, off the request path
