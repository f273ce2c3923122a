"""Embeds ../shared/research/magnesium-salts.csv (salts, elemental %, sources, notes) as Swift source.

python3 scripts/generate-salts.py   (from the repository root)
"""
csv = open("../shared/research/magnesium-salts.csv").read()
assert '"""#' not in csv
swift = (
    "// Generated from shared/research/magnesium-salts.csv by scripts/generate-salts.py: do not edit.\n"
    "// Every figure keeps its source URL and notes, including the research notes' caveats.\n\n"
    "extension MagnesiumSalt {\n    static let researchCSV = #\"\"\"\n" + csv.rstrip("\n") + "\n\"\"\"#\n}\n"
)
open("Sources/EpsomCore/Magnesium/MagnesiumSalt+Research.swift", "w").write(swift)
