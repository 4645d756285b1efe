"""Taxonomy crosswalks: mapping another directory's terms to ours, and the template to start one.

A crosswalk is a CSV file (UTF-8, with or without BOM) whose header names at least the columns
``external`` and ``our_code``; other columns are ignored. Each line maps one external term —
given by its code, its id, or its French or English label, compared without regard to case or
spacing — to one of our term codes. Several external terms may map to the same code; a line
whose ``our_code`` is empty maps nothing.
"""

from __future__ import annotations

import csv
import difflib
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from flask_babel import gettext as _

from .hsds import PROFILE_KEY
from .hsds_checks import Checker, Reference, _fold

COLUMNS = ("external", "our_code")
TEMPLATE_COLUMNS = ("external", "our_code", "count", "external_label", "suggested_label")


class CrosswalkInvalid(Exception):
    """The crosswalk file cannot be used: every problem, translated, by line."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def load_crosswalk(path: Path, reference: Reference) -> dict:
    """The crosswalk in path, keyed by folded external name; raise CrosswalkInvalid."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            mapping, problems = _read_crosswalk(csv.DictReader(handle), reference)
    except UnicodeDecodeError:
        raise CrosswalkInvalid([_("The crosswalk is not UTF-8 text.")]) from None
    except csv.Error as error:
        raise CrosswalkInvalid(
            [_("The crosswalk is not a readable CSV file: %(reason)s", reason=error)]
        ) from None
    if problems:
        raise CrosswalkInvalid(problems)
    return mapping


def _read_crosswalk(reader: csv.DictReader, reference: Reference) -> tuple[dict, list[str]]:
    """The mapping the lines make, and the problem of each line that maps to no term of ours."""
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise CrosswalkInvalid(
            [_("The crosswalk needs the columns %(columns)s.", columns=", ".join(COLUMNS))]
        )
    problems: list[str] = []
    mapping = {}
    for row in reader:
        line = reader.line_num
        external = (row.get("external") or "").strip()
        code = (row.get("our_code") or "").strip()
        if not code:
            continue
        if not external:
            problems.append(_("Crosswalk line %(line)d: the external term is empty.", line=line))
            continue
        term = reference.terms.get(code)
        if term is None:
            problems.append(
                _(
                    "Crosswalk line %(line)d: %(code)s is not one of our term codes.",
                    line=line,
                    code=code,
                )
            )
            continue
        mapping[_fold(external)] = term
    return mapping, problems


def collect_terms(records: Iterable[tuple[int, object]], reference: Reference) -> list[dict]:
    """Every taxonomy term the records use (services' and organisations'), counted, suggested."""
    counts: Counter = Counter()
    labels: dict[str, str] = {}
    found: dict[str, object] = {}
    scratch: list[str] = []
    for index, record in records:
        if not isinstance(record, dict):
            continue
        organization = record.get("organization")
        owners = [record, organization if isinstance(organization, dict) else {}]
        for owner in owners:
            attributes = owner.get("attributes")
            for attribute in attributes if isinstance(attributes, list) else []:
                term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
                if not isinstance(term, dict):
                    continue
                key = _external_key(attribute, term)
                if key is None:
                    continue
                counts[key] += 1
                if key not in found:
                    labels[key] = str(term.get("name") or "")
                    scratch.clear()
                    reference.unmapped_policy = "skip"
                    found[key] = Checker(index, record, reference, scratch).term(attribute, "")
    return [
        _template_row(key, counts[key], labels[key], found[key], reference)
        for key in sorted(counts, key=lambda k: (-counts[k], k))
    ]


def _external_key(attribute: dict, term: dict) -> str | None:
    for value in (
        term.get("code"),
        attribute.get("taxonomy_term_id"),
        term.get("id"),
        term.get("name"),
    ):
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    english = ((term.get(PROFILE_KEY) or {}).get("translations") or {}).get("en") or {}
    name = english.get("name") if isinstance(english, dict) else None
    return name.strip() if isinstance(name, str) and name.strip() else None


def _template_row(key: str, count: int, label: str, matched, reference: Reference) -> dict:
    suggestion = matched or _closest(label or key, reference)
    return {
        "external": key,
        "our_code": suggestion.code if suggestion is not None else "",
        "count": count,
        "external_label": label,
        "suggested_label": suggestion.name_fr if suggestion is not None else "",
    }


def _closest(label: str, reference: Reference):
    """Our term sharing the most words with label (shortest label first), else the closest label."""
    folded = _fold(label)
    words = set(_words(folded))
    best, best_key = None, None
    for text, terms in reference.term_labels.items():
        shared = len(words & set(_words(text)))
        key = (-shared, len(text))
        if shared and (best_key is None or key < best_key):
            best, best_key = terms[0], key
    if best is not None:
        return best
    close = difflib.get_close_matches(folded, list(reference.term_labels), n=1, cutoff=0.75)
    return reference.term_labels[close[0]][0] if close else None


def _words(text: str) -> list[str]:
    return [word for word in re.split(r"[\W_]+", text) if len(word) > 3]


def write_template(rows: list[dict], out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=TEMPLATE_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
