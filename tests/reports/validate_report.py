#!/usr/bin/env python3
"""Validates a ptdoctor JSON report against docs/report.schema.json, as a consumer of the report would.

Usage: validate_report.py SCHEMA REPORT
Exit codes tell the test why: 0 valid, 1 the report breaks the schema, 2 bad usage or unreadable file,
3 python3-jsonschema is missing, 4 the schema itself is not a valid JSON Schema.
"""
import json
import sys


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        import jsonschema
        from jsonschema.validators import validator_for
    except ImportError as error:
        print(f"cannot import jsonschema ({error}): install python3-jsonschema", file=sys.stderr)
        return 3
    try:
        with open(argv[1], encoding="utf-8") as schema_file:
            schema = json.load(schema_file)
        with open(argv[2], encoding="utf-8") as report_file:
            report = json.load(report_file)
    except (OSError, ValueError) as error:
        print(f"cannot read input: {error}", file=sys.stderr)
        return 2
    validator_class = validator_for(schema)
    try:
        validator_class.check_schema(schema)
    except jsonschema.exceptions.SchemaError as error:
        print(f"{argv[1]}: not a valid schema: {error.message}", file=sys.stderr)
        return 4
    errors = sorted(validator_class(schema).iter_errors(report), key=lambda e: list(e.absolute_path))
    for error in errors:
        where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
        print(f"{argv[2]}: {where}: {error.message}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
