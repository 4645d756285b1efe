"""The public page of recognised partners: who opted in, hold a current award and are listed."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask import request
from sqlalchemy import select

from ..catalogue.models import Region, Service, ServiceArea, Taxonomy, TaxonomyTerm
from ..converters import page_number
from ..extensions import db
from ..i18n import current_locale
from . import services
from .forms import PublicFilterForm

PER_PAGE = 30


def _sectors() -> list[TaxonomyTerm]:
    return list(
        db.session.scalars(
            select(TaxonomyTerm)
            .join(Taxonomy, Taxonomy.id == TaxonomyTerm.taxonomy_id)
            .where(Taxonomy.code == "sector", TaxonomyTerm.active.is_(True))
            .order_by(TaxonomyTerm.position, TaxonomyTerm.id)
        )
    )


def _regions_by_org(org_ids: list[int]) -> dict[int, list[Region]]:
    """The regions each organisation's services cover, in one query."""
    found: dict[int, list[Region]] = defaultdict(list)
    if not org_ids:
        return found
    rows = db.session.execute(
        select(Service.organization_id, Region)
        .join(ServiceArea, ServiceArea.service_id == Service.id)
        .join(Region, Region.code == ServiceArea.region_code)
        .where(Service.organization_id.in_(org_ids))
        .distinct()
        .order_by(Service.organization_id, Region.position)
    )
    for org_id, region in rows:
        found[org_id].append(region)
    return found


@dataclass
class ListPage:
    """One page of an in-memory list, shaped like Flask-SQLAlchemy's pagination for the pager."""

    items: list
    page: int
    pages: int
    total: int


def paginate_list(entries: list, page: int, per_page: int = PER_PAGE) -> ListPage:
    pages = max(1, math.ceil(len(entries) / per_page))
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    return ListPage(entries[start : start + per_page], page, pages, len(entries))


def public_context(today: date) -> dict:
    locale = current_locale()
    regions = list(db.session.scalars(select(Region).order_by(Region.position)))
    form = PublicFilterForm(regions, _sectors(), locale, formdata=request.args)
    criteria = form.criteria()
    page = paginate_list(
        services.public_listing(today, **criteria), request.args.get("page", 1, type=page_number)
    )
    return {
        "form": form,
        "page": page,
        "entries": page.items,
        "regions_by_org": _regions_by_org([e.organization_id for e in page.items]),
        "filtered": any(criteria.values()),
        "filter_args": {
            name: request.args[name] for name in ("region", "sector") if request.args.get(name)
        },
    }
