"""Builds Epsom's bundled evidence catalogue from the systematic search's research files.

    python3 scripts/evidence/import_research.py            # writes the three bundled files
    python3 scripts/evidence/import_research.py --check    # exits 1 if they differ from a fresh build

Inputs (scripts/evidence/research/, the search of issue 12, protocol in search-protocol.md):
  studies-v2.csv     the corrected catalogue, one row per study and time point
  references-v2.csv  reviews, protocols, books and pages for further reading
  screening.csv      every search record and the decision on it (the PRISMA counts)

Outputs (Sources/EpsomCore/Evidence/Catalogue/):
  studies.csv     = studies-v2.csv, same columns and values, with the DISPLAY_WORDING edits below
  references.csv  = references-v2.csv unchanged
  prisma.csv      the PRISMA 2020 flow counts, computed from screening.csv and studies-v2.csv

The only edits are DISPLAY_WORDING: the research notes use reader's shorthand such as
"(memory, unverified)" inside `source_location`, which the pages show. Each edit rewrites the
shorthand as a finished sentence saying the same thing; no value, source or "verified" mark is
changed. Every edit must match, so a change in the research file stops the build here.
The schema is docs/evidence.md; `epsom evidence check` validates the result.
"""
import csv
import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RESEARCH = os.path.join(HERE, "research")
CATALOGUE = os.path.join(HERE, "..", "..", "Sources", "EpsomCore", "Evidence", "Catalogue")

# (row id, column, research wording, wording shown on the pages)
RECOLLECTION = "an earlier reader's recollection that no stored page shows (unverified)"
DISPLAY_WORDING = [
    ("mgso4-iontophoresis-neck2024", "source_location", "first author not shown on any page read",
     "no page read names the first author"),
    ("fischer-crps", "source_location", "(memory, unverified)", RECOLLECTION),
    ("russell-supermalic", "source_location", "(memory, unverified)", RECOLLECTION),
    ("pfaffenrath1996", "source_location", "(memory, unverified)", RECOLLECTION),
    ("fortschrmed1994-pilot", "source_location",
     "the author is not shown in the stored text: first author Taubert K is (memory, unverified)",
     "the stored text does not name the author: first author Taubert K is " + RECOLLECTION),
]

# The title/abstract exclusions grouped as in search-protocol.md section 5 (reason -> group).
SCREENING_GROUPS = [
    ("not a study report (web page, news, commentary, letter, chapter, or a review not used)",
     ["not a study report", "review not used", "narrative review not used", "commentary, not a study report",
      "commercial summary, not a study report", "narrative chapter, not a study report",
      "narrative review, not a study report", "letter, not a study report"]),
    ("secondary summary of a study, not used for any value", ["secondary summary"]),
    ("not magnesium", ["not magnesium"]),
    ("not randomised or controlled (observational, case report or animal study)",
     ["observational, not randomised", "case report", "animal study"]),
    ("acute or perioperative pain", ["acute (perioperative) pain", "acute (postoperative) pain",
                                     "review of acute (postoperative) pain trials"]),
    ("no pain condition or pain outcome, or multi-ingredient product",
     ["no pain condition or pain outcome", "multi-ingredient product"]),
]


def read(name):
    with open(os.path.join(RESEARCH, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_csv(fields, rows):
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow(r)
    return out.getvalue()


def studies():
    rows = read("studies-v2.csv")
    by_id = {r["id"]: r for r in rows}
    for row_id, column, old, new in DISPLAY_WORDING:
        value = by_id[row_id][column]
        if old not in value:
            sys.exit(f"DISPLAY_WORDING: {row_id}.{column} no longer contains {old!r}; review the edit")
        by_id[row_id][column] = value.replace(old, new)
    return write_csv(list(rows[0].keys()), rows), rows


def group_of(reason):
    for label, starts in SCREENING_GROUPS:
        if any(reason.startswith(s) for s in starts):
            return label
    sys.exit(f"screening reason without a PRISMA group: {reason!r}")


def prisma(study_rows):
    records = read("screening.csv")
    index = [r for r in records if r["query"].startswith("q")]
    other = [r for r in records if not r["query"].startswith("q")]
    def count(rows, decision):
        return sum(1 for r in rows if r["decision"] == decision)
    duplicates = count(index, "duplicate")
    screened = len(index) - duplicates
    excluded = count(index, "excluded-title-abstract")
    reviews = count(index, "review")
    assessed = screened - excluded - reviews
    excluded_full = count(index, "excluded-full-text")
    other_excluded = count(other, "excluded-full-text")
    included_reports = count(records, "included")
    assert assessed - excluded_full == count(index, "included")
    queries = len({r["query"].split(":")[0] for r in index})
    rows = [
        ("identified_index", len(index), f"Records identified from the stored-page index ({queries} queries)"),
        ("duplicates", duplicates, "Duplicates removed (same address, or a copy of a record already screened)"),
        ("screened", screened, "Records screened (title and abstract)"),
        ("excluded_screening", excluded, "Records excluded at title and abstract"),
        ("reviews", reviews, "Reviews set aside for reference checking"),
        ("assessed", assessed, "Reports assessed for eligibility"),
        ("excluded_assessment", excluded_full, "Reports excluded after assessment"),
        ("identified_other", len(other), "Records identified by other methods (earlier notes, second reader, citation searching)"),
        ("assessed_other", len(other), "Reports from other methods assessed for eligibility"),
        ("excluded_other", other_excluded, "Reports from other methods excluded"),
        ("included_reports", included_reports, "Reports of included studies"),
        ("included_studies", len({r["study"] for r in study_rows}), "Studies included in the catalogue"),
    ]
    groups = {}
    for r in index:
        if r["decision"] == "excluded-title-abstract":
            label = group_of(r["reason"])
            groups[label] = groups.get(label, 0) + 1
    for i, (label, _) in enumerate(SCREENING_GROUPS):
        rows.append((f"excluded_screening.{i + 1}", groups.get(label, 0), label))
    for key, source in (("excluded_assessment", index), ("excluded_other", other)):
        for i, r in enumerate(x for x in source if x["decision"] == "excluded-full-text"):
            rows.append((f"{key}.{i + 1}", 1, f"{r['record']}: {r['reason']}"))
    return write_csv(["key", "count", "label"], [{"key": k, "count": c, "label": l} for k, c, l in rows])


def main(check):
    studies_text, study_rows = studies()
    with open(os.path.join(RESEARCH, "references-v2.csv"), encoding="utf-8", newline="") as f:
        references_text = f.read()
    outputs = {"studies.csv": studies_text, "references.csv": references_text, "prisma.csv": prisma(study_rows)}
    stale = []
    for name, text in outputs.items():
        path = os.path.join(CATALOGUE, name)
        if check:
            current = open(path, encoding="utf-8", newline="").read() if os.path.exists(path) else None
            if current != text:
                stale.append(name)
        else:
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
    if stale:
        sys.exit(f"out of date (run scripts/evidence/import_research.py): {', '.join(stale)}")


if __name__ == "__main__":
    main("--check" in sys.argv[1:])
