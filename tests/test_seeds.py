"""Reference data from seeds/: taxonomy and regions."""

from __future__ import annotations

from sqlalchemy import func, select

from cote_a_cote.catalogue.models import Region, Taxonomy, TaxonomyTerm
from cote_a_cote.catalogue.seeding import load_reference_data
from cote_a_cote.extensions import db


def test_reference_fixture_loads_taxonomies_and_regions(reference):
    codes = set(db.session.scalars(select(Taxonomy.code)))
    assert codes == {"need", "sector", "population", "exploitation", "access"}
    assert db.session.get(Region, "01").name_fr == "Bas-Saint-Laurent"
    assert db.session.get(Region, "QC") is not None


def test_load_reference_data_is_idempotent_and_updates_labels(reference):
    count = db.session.scalar(select(func.count()).select_from(TaxonomyTerm))
    term = db.session.scalar(select(TaxonomyTerm).where(TaxonomyTerm.code == "need.housing"))
    stamp = term.updated_at
    load_reference_data()
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(TaxonomyTerm)) == count
    assert term.updated_at == stamp
    term.name_en = "Something else"
    db.session.commit()
    load_reference_data()
    db.session.commit()
    assert term.name_en == "Housing search and long-term housing"
