"""What happens to shortlists: who sees them, adding, ordering, notes, purge. Nothing commits."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, Select, false, func, or_, select, update

from ..accounts.models import User
from ..catalogue import services as catalogue
from ..catalogue.models import Organization, Service
from ..config import settings
from ..database import utcnow
from ..errors import UserError
from ..extensions import db
from ..roles import Role
from .models import NAME_MAX, NOTE_MAX, Shortlist, ShortlistEntry


class ShortlistError(UserError):
    """An action refused; the message (a lazy string) is meant for the user."""


def visible_query(user: User) -> Select:
    """select(Shortlist) user may open: her own, and her organisation's when it shares referrals."""
    query = select(Shortlist)
    if not user.active or user.role is not Role.INTERVENANTE:
        return query.where(false())
    shared = (
        select(Organization.id)
        .where(Organization.id == user.organization_id, Organization.share_referrals.is_(True))
        .scalar_subquery()
    )
    return query.where(or_(Shortlist.owner_id == user.id, Shortlist.organization_id == shared))


def lists_of(user: User) -> list[Shortlist]:
    return list(db.session.scalars(visible_query(user).order_by(Shortlist.name, Shortlist.id)))


def get_shortlist_for(user: User, shortlist_id: int) -> Shortlist:
    """The shortlist if user may see it, else abort(404) (whether or not it exists)."""
    found = db.session.scalar(visible_query(user).where(Shortlist.id == shortlist_id))
    if found is None:
        abort(404)
    return found


def get_entry(shortlist: Shortlist, entry_id: int) -> ShortlistEntry:
    entry = next((e for e in shortlist.entries if e.id == entry_id), None)
    if entry is None:
        abort(404)
    return entry


def _clean_name(name: str | None) -> str:
    name = (name or "").strip()
    if not name:
        raise ShortlistError(_l("Give the list a name."))
    if len(name) > NAME_MAX:
        raise ShortlistError(_l("A list name has at most %(max)d characters.", max=NAME_MAX))
    return name


def create(user: User, name: str | None) -> Shortlist:
    shortlist = Shortlist(
        owner_id=user.id, organization_id=user.organization_id, name=_clean_name(name)
    )
    db.session.add(shortlist)
    db.session.flush()
    return shortlist


def rename(shortlist: Shortlist, name: str | None) -> None:
    shortlist.name = _clean_name(name)
    db.session.flush()


def delete(shortlist: Shortlist) -> None:
    db.session.delete(shortlist)
    db.session.flush()


def add_to_list(
    user: User, service: Service, shortlist_id: int | None, new_name: str | None
) -> Shortlist:
    """service added to user's list shortlist_id, or to a new list named new_name when
    shortlist_id is None; the list."""
    if shortlist_id is None:
        shortlist = create(user, new_name)
    else:
        shortlist = get_shortlist_for(user, shortlist_id)
    add_service(shortlist, service)
    return shortlist


def add_service(shortlist: Shortlist, service: Service) -> ShortlistEntry:
    """Put service at the end of shortlist; refused when it is already there."""
    if any(e.service_id == service.id for e in shortlist.entries):
        raise ShortlistError(_l("This service is already on the list."))
    last = db.session.scalar(
        select(func.max(ShortlistEntry.position)).where(ShortlistEntry.shortlist_id == shortlist.id)
    )
    entry = ShortlistEntry(
        service_id=service.id,
        service_name=service.name_fr,
        position=(last or 0) + 1,
    )
    shortlist.entries.append(entry)
    shortlist.updated_at = utcnow()
    db.session.flush()
    return entry


def move(shortlist: Shortlist, entry: ShortlistEntry, step: int) -> None:
    """Swap entry with its neighbour above (step -1) or below (+1); nothing at either end."""
    entries = list(shortlist.entries)
    index = entries.index(entry)
    other = index + step
    if step not in (-1, 1) or not 0 <= other < len(entries):
        return
    neighbour = entries[other]
    # Positions are renumbered so that two equal positions can never stall a move.
    for number, item in enumerate(entries, start=1):
        item.position = number
    entry.position, neighbour.position = neighbour.position, entry.position
    db.session.flush()
    db.session.expire(shortlist, ["entries"])


def set_note(entry: ShortlistEntry, note: str | None, now: datetime | None = None) -> None:
    note = (note or "").strip() or None
    if note and len(note) > NOTE_MAX:
        raise ShortlistError(_l("A note has at most %(max)d characters.", max=NOTE_MAX))
    entry.note = note
    entry.note_written_at = (now or utcnow()) if note else None
    db.session.flush()


def remove(shortlist: Shortlist, entry: ShortlistEntry) -> None:
    shortlist.entries.remove(entry)
    db.session.flush()


def available_ids(user: User, shortlist: Shortlist) -> set[int]:
    """Ids of the list's services that the catalogue still lists for user."""
    ids = [e.service_id for e in shortlist.entries if e.service_id is not None]
    if not ids:
        return set()
    query = catalogue.listed_services_query(user).where(Service.id.in_(ids))
    return set(db.session.scalars(query.with_only_columns(Service.id)))


def purge_notes(now: datetime | None = None) -> int:
    """Erase notes written more than REFERRAL_PURGE_DAYS ago; how many. Flushes."""
    now = now or utcnow()
    days = settings().referral_purge_days
    result = db.session.execute(
        update(ShortlistEntry)
        .where(
            ShortlistEntry.note.is_not(None),
            ShortlistEntry.note_written_at < now - timedelta(days=days),
        )
        .values(note=None, note_written_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    db.session.expire_all()
    assert isinstance(result, CursorResult)  # an UPDATE run through the session
    return result.rowcount or 0
