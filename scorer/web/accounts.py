"""Accounts, made from the command line (`score accounts add`, `score accounts import`): a bureau sets up its
district in minutes, and tests script it. Passwords are hashed by Django's standard hasher; a password made here
is a one-time password, changed at first login. Each account made is written to the log.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from scorer.errors import Location, Problem, UserError
from scorer.facts import fact, said
from scorer.inputs.model import department_key
from scorer.web.models import BUREAU, DEPARTMENT, Account, Department
from scorer.web.roster import LOGIN, Listed, name_problem
from scorer.web.workflow import log

COMMAND_LINE = ""  # the log's actor for what was done at the command line


@dataclass(frozen=True)
class Made:
    department: str  # "" for a bureau account
    login: str
    password: str | None  # the one-time password; None where none was made
    existed: bool = False  # the account was there already, and is left as it was


def one_time_password() -> str:
    """Twelve letters and digits that cannot be misread (no 0/O, 1/l/I), in three groups: read out on the phone."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    letters = "".join(secrets.choice(alphabet) for _ in range(12))
    return "-".join(letters[i : i + 4] for i in range(0, 12, 4))


def department_named(name: str) -> Department:
    problem = name_problem(name)
    if problem:
        raise UserError.at(Location("--department"), problem)
    found, _ = Department.objects.get_or_create(key=department_key(name), defaults={"name": name.strip()})
    return found


def add_account(role: str, login: str, password: str | None, department: str | None) -> Made:
    """One account; `password` None makes a one-time password."""
    if not LOGIN.fullmatch(login):
        raise UserError.at(Location("--login"), fact("web.roster.bad_login", login=login))
    if role == DEPARTMENT and not department:
        raise UserError.at(Location("--department"), fact("web.account.needs_department"))
    if role == BUREAU and department:
        raise UserError.at(Location("--department"), fact("web.account.bureau_has_none"))
    users = get_user_model()
    if password is not None:
        _check_password(password, login)
    with transaction.atomic():
        if users.objects.filter(username__iexact=login).exists():
            raise UserError.at(Location("--login"), fact("web.account.exists", login=login))
        place = department_named(department) if department else None
        made = _make(login, password, role, place)
    return made


def _check_password(password: str, login: str) -> None:
    users = get_user_model()
    try:
        validate_password(password, users(username=login))
    except ValidationError as exc:
        raise UserError([Problem(Location("--password-stdin"), said(str(m))) for m in exc.messages]) from None


def _make(login: str, password: str | None, role: str, place: Department | None) -> Made:
    users = get_user_model()
    chosen = password if password is not None else one_time_password()
    user = users.objects.create_user(username=login, password=chosen)
    Account.objects.create(user=user, role=role, department=place, must_change_password=password is None)
    log(COMMAND_LINE, "account_add", place, None, None, login=login, role=role)
    return Made(place.name if place else "", login, None if password is not None else chosen)


def import_roster(listed: list[Listed], display: str) -> list[Made]:
    """An account for each department of the list that has none yet, all or none of them: a department already
    there (by `department_key`) keeps its account and is listed without a password."""
    users = get_user_model()
    made: list[Made] = []
    with transaction.atomic():
        taken = {name.lower() for name in users.objects.values_list("username", flat=True)}
        number = 0
        for item in listed:
            existing = (
                Account.objects.filter(department__key=department_key(item.name))
                .select_related("user")
                .first()
            )
            if existing is not None:
                made.append(Made(existing.department.name if existing.department else item.name,
                                 existing.user.username, None, existed=True))  # fmt: skip
                continue
            login = item.login
            if login and login.lower() in taken:
                raise UserError.at(
                    Location(display, item.where, item.name), fact("web.account.exists", login=login)
                )
            while not login:
                number += 1
                candidate = f"dept{number:03d}"
                login = "" if candidate in taken else candidate
            taken.add(login.lower())
            made.append(_make(login, None, DEPARTMENT, department_named(item.name)))
        log(COMMAND_LINE, "account_import", None, None, None, made=sum(1 for m in made if m.password))
    return made
