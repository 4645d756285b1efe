"""Demo highlights for the annual report: fictional texts for the last complete year's quarters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from .models import ReportHighlight
from .year import year_of

# Fictional, as all demo data; in French, the language the coordinating team writes the report in.
DEMO_HIGHLIGHTS = {
    1: "Trois cliniques fictives ouvrent un accueil rapide aux références prioritaires (démo).",
    2: "Une première séance de formation fictive réunit douze commerces de la Gaspésie (démo).",
    3: "Un réseau fictif de transport bénévole s’ajoute en Abitibi-Témiscamingue (démo).",
    4: "Les partenaires fictifs de l’Outaouais tiennent une semaine de sensibilisation (démo).",
}


def seed_demo_highlights(now: datetime) -> int:
    """Fill the last complete reporting year's empty quarters; an existing text is kept."""
    year = year_of(now).start_year - 1
    written = {
        h.quarter
        for h in db.session.scalars(
            select(ReportHighlight).where(ReportHighlight.start_year == year)
        )
    }
    added = 0
    for quarter, text in DEMO_HIGHLIGHTS.items():
        if quarter not in written:
            db.session.add(ReportHighlight(start_year=year, quarter=quarter, text=text))
            added += 1
    db.session.flush()
    return added
