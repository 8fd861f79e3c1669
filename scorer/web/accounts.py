"""Accounts, made from the command line (`score accounts add`, `score accounts import`): a bureau sets up its
district in minutes, and tests script it. Passwords are hashed by Django's standard hasher; a password made here
is a one-time password, changed at first login. Each account made is written to the log.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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


def department_named(name: str, new: bool = True) -> Department:
    """The department of that name, made when `new` allows: a name close to an existing department's (区教育 beside
    区教育局) is refused with that name, unless the bureau said it is a new department (`--new-department`)."""
    problem = name_problem(name)
    if problem:
        raise UserError.at(Location("--department"), problem)
    found = Department.objects.filter(key=department_key(name)).first()
    if found is not None:
        return found
    if not new and (close := close_department(name)) is not None:
        raise UserError.at(Location("--department", None, name), fact("web.account.close_name", name=close))
    return Department.objects.create(key=department_key(name), name=name.strip())


CLOSE = (
    2  # characters left out or added: 区教育 for 区教育局. A changed character is not "close": 审计局, 统计局
)


def close_department(name: str) -> str | None:
    """The name of an existing department that `name`, itself new, most likely misspells (one is the other with
    a character or two left out), or None."""
    key = department_key(name)
    close = [
        (abs(len(other) - len(key)), shown)
        for other, shown in Department.objects.values_list("key", "name")
        if other != key and _within(key, other)
    ]
    return min(close)[1] if close else None


def _within(one: str, other: str) -> bool:
    short, long = sorted((one, other), key=len)
    if len(short) < 2 or not 0 < len(long) - len(short) <= CLOSE:
        return False
    rest = iter(long)
    return all(character in rest for character in short)  # `short` is `long` with characters left out


def add_account(
    role: str, login: str, password: str | None, department: str | None, new_department: bool = True
) -> Made:
    """One account; `password` None makes a one-time password. A department not there yet whose name is close to
    one that is is refused unless `new_department`."""
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
        place = department_named(department, new_department) if department else None
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


def import_roster(
    listed: list[Listed],
    display: str,
    new_departments: bool = False,
    keep: Callable[[list[Made]], None] | None = None,
) -> list[Made]:
    """An account for each department of the list that has none yet, all or none of them: a department already
    there (by `department_key`) keeps its account and is listed without a password. New names close to a
    department already there are refused, each at its line, unless `new_departments`. `keep` writes the
    one-time passwords down before the accounts are committed: if it cannot, no account is made."""
    users = get_user_model()
    made: list[Made] = []
    with transaction.atomic():
        if not new_departments:
            _refuse_close_names(listed, display)
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
        if keep is not None:
            keep(made)
    return made


def _refuse_close_names(listed: list[Listed], display: str) -> None:
    """Every new name of the list that is close to a department already there, or to another name of the same
    list (区教育局 and 区教育 both new), at its line, in one answer."""
    known = set(Department.objects.values_list("key", flat=True))
    problems = [
        Problem(Location(display, item.where, item.name), fact("web.roster.close_name", name=close))
        for item in listed
        if department_key(item.name) not in known and (close := close_department(item.name)) is not None
    ]
    keys = {department_key(item.name): item for item in listed}
    for key, item in keys.items():
        twin = next((other for k, other in keys.items() if k != key and _within(key, k)), None)
        if key not in known and twin is not None and len(key) < len(department_key(twin.name)):
            where = Location(display, item.where, item.name)  # the shorter name: most likely the slip
            problems.append(Problem(where, fact("web.roster.close_in_list", name=twin.name)))
    if problems:
        raise UserError(problems)


def account_of(login: str) -> Any:
    users = get_user_model()
    found = users.objects.filter(username__iexact=login).select_related("account").first()
    if found is None or not hasattr(found, "account"):
        raise UserError.at(Location(login), fact("web.account.unknown"))
    return found


def reset_password(login: str) -> Made:
    """A new one-time password, to be changed at the next login; the old password and its sessions stop working."""
    with transaction.atomic():
        user = account_of(login)
        password = one_time_password()
        user.set_password(password)
        user.save(update_fields=["password"])
        Account.objects.filter(pk=user.account.pk).update(must_change_password=True)
        place = user.account.department
        log(COMMAND_LINE, "account_reset", place, None, None, login=user.username)
    return Made(place.name if place else "", user.username, password)


def set_active(login: str, active: bool) -> Made:
    """Disable an account (it can no longer sign in; a signed-in page is signed out) or enable it again."""
    with transaction.atomic():
        user = account_of(login)
        others = Account.objects.filter(role=BUREAU, user__is_active=True).exclude(pk=user.account.pk)
        if not active and user.account.role == BUREAU and not others.exists():  # nobody left to review
            raise UserError.at(Location(login), fact("web.account.last_bureau"))
        user.is_active = active
        user.save(update_fields=["is_active"])
        place = user.account.department
        log(
            COMMAND_LINE,
            "account_enable" if active else "account_disable",
            place,
            None,
            None,
            login=user.username,
        )
    return Made(place.name if place else "", user.username, None)
