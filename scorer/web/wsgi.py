"""The WSGI application for a production server (waitress-serve, gunicorn, uWSGI, mod_wsgi):

    SCORE_DATA=/srv/score-data SCORE_DATABASE_URL=postgresql://score@db/score \\
        waitress-serve --listen 127.0.0.1:8000 scorer.web.wsgi:application

Settings come from the environment (scorer/web/config.py: `Site.from_environment`). The database's tables are
brought up to date when the application is loaded: with several worker processes, load it once before they
start (gunicorn --preload), or run `score accounts …` or `score serve` once after an upgrade.
"""

from scorer.web.config import Site, prepare

prepare(Site.from_environment())

from django.core.wsgi import get_wsgi_application  # noqa: E402  (Django is configured just above)

application = get_wsgi_application()
