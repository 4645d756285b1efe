"""The demo accounts of seeds/demo_catalogue.json, one per role (fictional people)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..catalogue.models import Organization
from ..database import utcnow
from ..extensions import db
from ..roles import Role
from .models import User
from .passwords import generate_password, hash_password
from .services import find_user_by_email, set_password
from .sessions import end_all_sessions


@dataclass
class DemoAccounts:
    """The e-mails of the demo accounts created now and of those that already existed."""

    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)


def seed_demo_accounts(
    accounts: list[dict],
    orgs: dict[str, Organization],
    echo: Callable[[str], Any],
    reset_passwords: bool,
) -> DemoAccounts:
    """Create missing demo accounts; echo each generated password once, never store it."""
    report = DemoAccounts()
    shown: list[tuple[str, str]] = []  # (e-mail, password) to echo
    for account in accounts:
        user = find_user_by_email(account["email"])
        if user is None:
            user, password = _create_demo_account(account, orgs)
            report.created.append(user.email)
            shown.append((user.email, password))
        else:
            report.existing.append(user.email)
            user.email_verified_at = user.email_verified_at or utcnow()
            if reset_passwords:
                shown.append((user.email, _renew_password(user)))
    _echo_passwords(shown, bool(report.existing) and not reset_passwords, echo)
    db.session.flush()
    return report


def _create_demo_account(account: dict, orgs: dict[str, Organization]) -> tuple[User, str]:
    """The new account, added to the session, and its generated password."""
    password = generate_password()
    user = User(
        email=account["email"],
        name=account["name"],
        password_hash=hash_password(password),
        role=Role(account["role"]),
        organization=orgs[account["organization"]],
        email_verified_at=utcnow(),
    )
    db.session.add(user)
    return user, password


def _renew_password(user: User) -> str:
    """Give user a new generated password, signing them out everywhere; the password."""
    password = generate_password()
    set_password(user, password)
    end_all_sessions(user)
    return password


def _echo_passwords(
    shown: list[tuple[str, str]], kept_hidden: bool, echo: Callable[[str], Any]
) -> None:
    """Echo the passwords set now; when kept_hidden, say how to get those not shown again."""
    if shown:
        echo("Demo accounts — note these passwords now, they will not be shown again:")
        for email, password in shown:
            echo(f"  {email}  password: {password}")
    if kept_hidden:
        echo(
            "Demo accounts already exist; their passwords are not shown again. To get new ones: "
            "flask --app cote_a_cote seed-demo --reset-passwords (or use 'Mot de passe oublié' "
            "on the sign-in page; in development the e-mail lands in instance/outbox/)."
        )
