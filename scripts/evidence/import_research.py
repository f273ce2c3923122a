"""Builds Epsom's bundled evidence catalogue from the project's research notes.

    python3 scripts/evidence/import_research.py ../shared/research/evidence-trials.csv \
        > Sources/EpsomCore/Evidence/Catalogue/studies.csv

Every column of the research file is kept as it is (values, sources and "verified" marks).
Epsom adds four classification columns, decided here by reading each row's comparator and
summary, so that the choice is written down and can be reviewed:
  study            rows of the same study share it (a study may have several time points)
  design           rct-parallel | rct-crossover | single-arm | dose-finding
  condition_group  the gap map's row
  route_group      oral | intravenous | intravenous-then-oral | transdermal
The schema is docs/evidence.md; `epsom evidence check` validates the result.
"""
import csv
import sys

CLASSIFICATION = {
    # id: (study, design, condition_group)
    "yousef2013-nrs-baseline": ("yousef2013", "rct-parallel", "chronic low back pain"),
    "yousef2013-nrs-6mo": ("yousef2013", "rct-parallel", "chronic low back pain"),
    "pickering2011": ("pickering2011", "rct-parallel", "neuropathic pain"),
    "brill2002": ("brill2002", "rct-crossover", "neuropathic pain"),
    "fischer-crps": ("fischer-crps", "rct-parallel", "complex regional pain syndrome"),
    "collins2009": ("collins2009", "single-arm", "complex regional pain syndrome"),
    "kim2015": ("kim2015", "rct-parallel", "neuropathic pain"),
    "pickering2020": ("pickering2020", "rct-crossover", "neuropathic pain"),
    "crosby2000": ("crosby2000", "dose-finding", "neuropathic pain"),
    "bagis2013": ("bagis2013", "rct-parallel", "fibromyalgia"),
    "russell-supermalic": ("russell-supermalic", "rct-crossover", "fibromyalgia"),
    "macian2022-dass": ("macian2022", "rct-parallel", "fibromyalgia"),
    "macian2022-bpi-subgroup": ("macian2022", "rct-parallel", "fibromyalgia"),
    "engen2015": ("engen2015", "single-arm", "fibromyalgia"),
    "parekh-neck": ("parekh-neck", "rct-parallel", "neck pain"),
    "epsomgel-oa": ("epsomgel-oa", "rct-parallel", "osteoarthritis"),
    "kass2017": ("kass2017", "rct-parallel", "healthy volunteers (absorption)"),
    "peikert1996": ("peikert1996", "rct-parallel", "migraine"),
    "pfaffenrath1996": ("pfaffenrath1996", "rct-parallel", "migraine"),
    "koseoglu2008": ("koseoglu2008", "rct-parallel", "migraine"),
    "tarighat2012": ("tarighat2012", "rct-parallel", "migraine"),
    "fortschrmed1994-pilot": ("fortschrmed1994-pilot", "rct-crossover", "migraine"),
    "roguinmaor2017": ("roguinmaor2017", "rct-parallel", "leg cramps"),
    "frusso1999": ("frusso1999", "rct-crossover", "leg cramps"),
    "momh2021": ("momh2021", "rct-parallel", "leg cramps"),
    "bayram2021": ("bayram2021", "rct-parallel", "acute low back pain"),
    "dtic1999-mgo-clbp": ("dtic1999-mgo-clbp", "rct-parallel", "chronic low back pain"),
}

ROUTES = {"oral": "oral", "IV": "intravenous", "IV then oral": "intravenous-then-oral",
          "transdermal": "transdermal", "transdermal (topical gel)": "transdermal"}


def main(path):
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    missing = [r["id"] for r in rows if r["id"] not in CLASSIFICATION]
    if missing:
        sys.exit(f"classify these rows first: {missing}")
    fields = list(rows[0].keys()) + ["study", "design", "condition_group", "route_group"]
    out = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
    out.writeheader()
    for r in rows:
        study, design, group = CLASSIFICATION[r["id"]]
        out.writerow({**r, "study": study, "design": design, "condition_group": group, "route_group": ROUTES[r["route"]]})


if __name__ == "__main__":
    main(sys.argv[1])
