"""A foreign taxonomy imports through a crosswalk; --list-terms writes the crosswalk template."""

from __future__ import annotations

import csv

from sqlalchemy import select

from cote_a_cote.catalogue.models import Service
from cote_a_cote.extensions import db
from cote_a_cote.roles import Role
from tests.conftest import login
from tests.test_hsds_import_export import attribute, record

from .conftest import assert_refused


def foreign(number: int, *terms: dict) -> dict:
    """A service tagged only with another directory's terms (fictional data)."""
    data = record(number)
    data["attributes"] = [
        attribute(f"a{number}-{position}", term) for position, term in enumerate(terms)
    ]
    return data


LEGAL = {"code": "need-legal", "name": "Aide juridique"}
LAWYERS = {"id": "211-LAW-07", "name": "Avocats bénévoles"}
JOBS = {"id": "211-JOB", "name": "Emploi"}
HOUSING = {"code": "211-HOU", "name": "Logement"}
FILE = [foreign(1, LEGAL, JOBS), foreign(2, LAWYERS, HOUSING), foreign(3, LEGAL)]


def _terms(external_id: str) -> list[str]:
    service = db.session.scalar(select(Service).where(Service.external_id == external_id))
    return sorted(term.code for term in service.terms)


def _write_csv(path, rows: list[tuple[str, str]]):
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["external", "our_code", "note"])
        writer.writerows((*row, "") for row in rows)
    return path


def test_foreign_terms_without_a_crosswalk_are_listed_with_counts(reference, import_file):
    result = import_file(FILE)
    assert_refused(
        result, "need-legal / Aide juridique (2)", "Emploi (1)", "211-HOU / Logement (1)"
    )


def test_a_foreign_taxonomy_imports_through_a_crosswalk(reference, import_file, tmp_path):
    crosswalk = _write_csv(
        tmp_path / "crosswalk.csv",
        [
            ("need-legal", "need.legal"),  # by code
            ("211-law-07", "need.legal"),  # by id, several-to-one, case ignored
            ("emploi", "need.employment"),  # by label
            ("Logement", "need.housing"),  # by label although it has a code
        ],
    )
    result = import_file(FILE, "--map", str(crosswalk))
    assert result.exit_code == 0, result.output
    assert _terms("svc-1") == ["need.employment", "need.legal"]
    assert _terms("svc-2") == ["need.housing", "need.legal"]
    assert _terms("svc-3") == ["need.legal"]


def test_unmapped_skip_leaves_terms_out_and_says_which(reference, import_file, tmp_path):
    crosswalk = _write_csv(tmp_path / "crosswalk.csv", [("need-legal", "need.legal")])
    result = import_file(FILE, "--map", str(crosswalk), "--unmapped", "skip")
    assert result.exit_code == 0, result.output
    assert (
        "Terms left out (not mapped): 211-HOU / Logement (1); Avocats bénévoles (1); Emploi (1)"
        in result.output
    )
    assert _terms("svc-1") == ["need.legal"]
    assert _terms("svc-2") == []


def test_a_crosswalk_naming_an_unknown_code_is_refused(reference, import_file, tmp_path):
    crosswalk = _write_csv(tmp_path / "crosswalk.csv", [("Emploi", "need.jobs")])
    result = import_file(FILE, "--map", str(crosswalk))
    assert_refused(result, "Crosswalk line 2: need.jobs is not one of our term codes.")


def test_a_crosswalk_without_its_columns_is_refused(reference, import_file, tmp_path):
    path = tmp_path / "crosswalk.csv"
    path.write_text("from,to\nEmploi,need.employment\n", encoding="utf-8")
    assert_refused(import_file(FILE, "--map", str(path)), "columns external, our_code")


def test_list_terms_writes_a_template_with_counts_and_suggestions(reference, import_file, tmp_path):
    template = tmp_path / "template.csv"
    result = import_file(FILE, "--list-terms", str(template))
    assert result.exit_code == 0, result.output
    assert "4 taxonomy terms written" in result.output
    with template.open(encoding="utf-8") as handle:
        rows = {row["external"]: row for row in csv.DictReader(handle)}
    # A term is listed by its code, else its id (the HSDS schema requires one).
    assert set(rows) == {"need-legal", "211-LAW-07", "211-JOB", "211-HOU"}
    assert rows["need-legal"]["count"] == "2"
    assert rows["need-legal"]["external_label"] == "Aide juridique"
    assert rows["211-HOU"]["our_code"] == "need.housing"
    assert rows["211-JOB"]["our_code"] == "need.employment"
    # Nothing is imported while listing terms.
    assert db.session.scalar(select(Service.id)) is None


def test_the_template_once_checked_is_a_working_crosswalk(reference, import_file, tmp_path):
    template = tmp_path / "template.csv"
    assert import_file(FILE, "--list-terms", str(template)).exit_code == 0
    with template.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:  # the operator fixes the suggestions they disagree with
        if row["external"] in ("need-legal", "211-LAW-07"):
            row["our_code"] = "need.legal"
    with template.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = import_file(FILE, "--map", str(template))
    assert result.exit_code == 0, result.output
    assert _terms("svc-2") == ["need.housing", "need.legal"]


def _kept(external_id: str) -> list[str]:
    service = db.session.scalar(select(Service).where(Service.external_id == external_id))
    return [term.label for term in service.external_terms]


def test_unmapped_keep_stores_terms_for_administrators_only(
    reference, import_file, tmp_path, app, client, login_as, make_user
):
    crosswalk = _write_csv(tmp_path / "crosswalk.csv", [("need-legal", "need.legal")])
    options = ("--map", str(crosswalk), "--unmapped", "keep", "--status", "approved")
    result = import_file(FILE, *options)
    assert result.exit_code == 0, result.output
    assert "Terms kept as external terms" in result.output
    assert "Emploi (1)" in result.output
    # Kept beside the service, never as one of our terms (so never a facet nor a filter).
    assert (_terms("svc-1"), _kept("svc-1")) == (["need.legal"], ["Emploi"])
    assert (_terms("svc-2"), _kept("svc-2")) == ([], ["211-HOU / Logement", "Avocats bénévoles"])
    assert _kept("svc-3") == []
    service = db.session.scalar(select(Service).where(Service.external_id == "svc-2"))
    login_as(Role.INTERVENANTE)
    page = client.get(f"/services/{service.id}").get_data(as_text=True)
    assert "Avocats bénévoles" not in page
    administrator = app.test_client()
    login(administrator, make_user(role=Role.ADMIN))
    page = administrator.get(f"/services/{service.id}").get_data(as_text=True)
    assert "Imported terms not mapped" in page
    assert "<li>211-HOU / Logement</li>" in page and "<li>Avocats bénévoles</li>" in page
    # Imported again with a crosswalk for every term: nothing is left to keep.
    crosswalk = _write_csv(
        tmp_path / "full.csv",
        [
            ("need-legal", "need.legal"),
            ("211-LAW-07", "need.legal"),
            ("Emploi", "need.employment"),
            ("Logement", "need.housing"),
        ],
    )
    result = import_file(FILE, "--map", str(crosswalk), "--unmapped", "keep")
    assert result.exit_code == 0, result.output
    assert (_terms("svc-2"), _kept("svc-2")) == (["need.housing", "need.legal"], [])
