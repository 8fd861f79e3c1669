"""The web workplace's settings, built from `score serve`'s arguments (or a production server's environment).

One data folder holds what a district's server keeps besides its database: the embedded SQLite database
(`score.sqlite3`, unless `--database-url` names a PostgreSQL server), the key that signs sessions (`secret-key`,
made once, readable by its owner only) and the folder uploads are read from while they are checked (`uploads/`).
Django is configured once per process; its migrations are applied by `prepare()`, so that a fresh machine needs
no step besides `score serve`.
"""

from __future__ import annotations

import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from scorer.errors import Location, UserError
from scorer.facts import fact

DEFAULT_DATA = Path("score-data")
DATABASE_ENV = "SCORE_DATABASE_URL"
UPLOAD_LIMIT = 10 * 1024 * 1024  # a filled workbook is a few dozen kilobytes; a 自评表 a few hundred at most
# What waitress accepts of one request's body (spooled to disk as it arrives), so that an upload past UPLOAD_LIMIT
# still reaches the application and is answered with a page; past this, waitress closes the connection.
REQUEST_LIMIT = 256 * 1024 * 1024
SESSION_HOURS = 8  # a working day


@dataclass(frozen=True)
class Site:
    """What one server is: where its data lives, which database, which names it answers to."""

    data: Path = DEFAULT_DATA
    database_url: str | None = None
    hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "[::1]")
    https: bool = False  # behind a proxy that speaks HTTPS: cookies only over HTTPS
    trusted_origins: tuple[str, ...] = field(default=())

    @classmethod
    def from_environment(cls, data: Path | None = None, database_url: str | None = None) -> Site:
        """A production server's settings: SCORE_DATA, SCORE_DATABASE_URL, SCORE_ALLOWED_HOSTS (comma
        separated), SCORE_HTTPS=1 and SCORE_TRUSTED_ORIGINS (https://bureau.example.gov.cn, comma separated)."""
        hosts = tuple(h.strip() for h in os.environ.get("SCORE_ALLOWED_HOSTS", "").split(",") if h.strip())
        origins = tuple(
            o.strip() for o in os.environ.get("SCORE_TRUSTED_ORIGINS", "").split(",") if o.strip()
        )
        return cls(
            data=data or Path(os.environ.get("SCORE_DATA") or DEFAULT_DATA),
            database_url=database_url or os.environ.get(DATABASE_ENV) or None,
            hosts=hosts or cls.hosts,
            https=os.environ.get("SCORE_HTTPS", "") in ("1", "true", "yes"),
            trusted_origins=origins,
        )


def database(site: Site) -> dict[str, Any]:
    """Django's DATABASES entry: the embedded SQLite file in the data folder, or the server the URL names."""
    if not site.database_url:
        return _sqlite(site.data / "score.sqlite3")
    url = urlsplit(site.database_url)
    if url.scheme == "sqlite":
        return _sqlite(Path(unquote(url.path)))
    if url.scheme in ("postgres", "postgresql"):
        options = dict(parse_qsl(url.query))
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(url.path.lstrip("/")),
            "USER": unquote(url.username or ""),
            "PASSWORD": unquote(url.password or ""),
            "HOST": unquote(url.hostname or ""),
            "PORT": str(url.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    shown = f"{url.scheme}://…" if url.scheme else site.database_url[:40]
    raise UserError.at(Location("--database-url"), fact("web.database_url", url=shown))


def _sqlite(path: Path) -> dict[str, Any]:
    # IMMEDIATE: a transaction that will write takes the lock when it starts, so that two writers queue (for up
    # to `timeout` seconds) instead of one of them failing halfway. WAL lets pages be read while one writes.
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "timeout": 60,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        },
    }


def secret_key(data: Path) -> str:
    """The key that signs sessions: SCORE_SECRET_KEY, else `secret-key` in the data folder, made on first use
    readable by its owner only. A key file others may write is refused: whoever can change it can sign sessions."""
    given = os.environ.get("SCORE_SECRET_KEY")
    if given:
        return given
    path = data / "secret-key"
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:
        return _read_key(path)
    with os.fdopen(handle, "w", encoding="ascii") as out:
        key = secrets.token_urlsafe(50)
        out.write(key)
    return key


def _read_key(path: Path) -> str:
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(handle, encoding="ascii") as source:
        info = os.fstat(source.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o022 or len(key := source.read().strip()) < 40:
            raise UserError.at(Location(str(path)), fact("web.bad_secret_key"))
    return key


# The parts of Django's settings that do not depend on the site.
_INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "scorer.web.apps.WebConfig",
]
_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "scorer.web.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "scorer.web.access.FirstPasswordMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "scorer.web.language.PolicyMiddleware",
]
_TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "scorer.web.language.context",
            ],
            "builtins": ["scorer.web.templatetags.words"],
        },
    }
]
_AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
_FILE_UPLOAD_HANDLERS = [
    "scorer.web.uploads.LimitedUpload",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
_LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["stderr"], "level": "ERROR"}},
}


def settings(site: Site) -> dict[str, Any]:
    """Django's settings for `site`."""
    return {
        "DEBUG": False,
        "SECRET_KEY": secret_key(site.data),
        "ALLOWED_HOSTS": list(site.hosts),
        "CSRF_TRUSTED_ORIGINS": list(site.trusted_origins),
        "INSTALLED_APPS": _INSTALLED_APPS,
        "MIDDLEWARE": _MIDDLEWARE,
        "ROOT_URLCONF": "scorer.web.urls",
        "TEMPLATES": _TEMPLATES,
        "DATABASES": {"default": database(site)},
        "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
        "USE_TZ": True,
        "TIME_ZONE": "Asia/Shanghai",
        "USE_I18N": True,
        "LANGUAGE_CODE": "zh-hans",
        "LANGUAGES": [("zh-hans", "中文"), ("en", "English")],
        "LOGIN_URL": "login",
        "LOGIN_REDIRECT_URL": "home",
        "AUTH_PASSWORD_VALIDATORS": _AUTH_PASSWORD_VALIDATORS,
        "SESSION_COOKIE_AGE": SESSION_HOURS * 3600,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": site.https,
        "CSRF_COOKIE_SECURE": site.https,
        "CSRF_FAILURE_VIEW": "scorer.web.views_auth.csrf_failure",
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https") if site.https else None,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
        "FILE_UPLOAD_HANDLERS": _FILE_UPLOAD_HANDLERS,
        "FILE_UPLOAD_TEMP_DIR": str(site.data / "uploads"),
        "DATA_UPLOAD_MAX_NUMBER_FIELDS": 2000,  # the form filled in the page has a few hundred fields
        "LOGGING": _LOGGING,
    }


_configured: Site | None = None


def configure(site: Site) -> None:
    """Configure Django for `site`, once per process (a second, different site is a programming error)."""
    global _configured
    if _configured is not None:
        if _configured != site:
            raise RuntimeError("the web workplace is configured for another data folder in this process")
        return
    import django
    from django.conf import settings as django_settings

    _data_folder(site.data)
    django_settings.configure(**settings(site))
    django.setup()
    _configured = site


def _data_folder(data: Path) -> None:
    try:
        if not data.exists():
            data.mkdir(parents=True, mode=0o700)  # the database holds every department's figures
        (data / "uploads").mkdir(exist_ok=True, mode=0o700)
    except OSError as exc:
        raise UserError.at(Location(str(data)), fact("web.data_folder", why=str(exc.strerror))) from None
    if not data.is_dir():
        raise UserError.at(Location(str(data)), fact("web.data_folder", why=fact("web.not_a_folder")))


def prepare(site: Site) -> None:
    """Configure and bring the database's tables up to date (the migrations are applied; nothing is lost)."""
    configure(site)
    from django.core.management import call_command
    from django.db import OperationalError

    try:
        call_command("migrate", interactive=False, verbosity=0)
    except OperationalError as exc:
        raise UserError.at(
            Location(_shown_database(site)), fact("web.database", why=str(exc).strip()[:300])
        ) from None


def _shown_database(site: Site) -> str:
    """The database as a message names it: without the password a URL may carry."""
    if not site.database_url:
        return str(site.data / "score.sqlite3")
    url = urlsplit(site.database_url)
    host = url.hostname or ""
    return f"{url.scheme}://{url.username + '@' if url.username else ''}{host}{url.path}"
