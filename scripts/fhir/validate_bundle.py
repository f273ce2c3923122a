"""Validates FHIR R4 Bundles against the R4 (4.0.1) resource models of fhir.resources 6.1.0,
which are generated from HL7's R4 StructureDefinitions: required elements, cardinalities,
types, choice types ([x]), code patterns and unknown elements are all checked.

    python3 -m venv .venv-fhir && .venv-fhir/bin/pip install 'pydantic<2' 'fhir.resources==6.1.0'
    .venv-fhir/bin/python scripts/fhir/validate_bundle.py Tests/EpsomCoreTests/Fixtures/*-bundle-*.json

The official fhir.schema.json could not be fetched on the build machine (hl7.org is not
reachable from it); these models encode the same R4 definitions. Exit status 1 on any failure.
"""
import json
import sys

import fhir.resources
from fhir.resources.bundle import Bundle


def main(paths):
    assert fhir.resources.__fhir_version__ == "4.0.1", fhir.resources.__fhir_version__
    failed = False
    for path in paths:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        try:
            bundle = Bundle.parse_obj(data)
            kinds = {}
            for entry in bundle.entry or []:
                kinds[entry.resource.resource_type] = kinds.get(entry.resource.resource_type, 0) + 1
            print(f"valid FHIR R4 Bundle: {path} {kinds}")
        except Exception as error:  # pydantic.ValidationError lists every failing element
            failed = True
            print(f"INVALID: {path}\n{error}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
