#!/usr/bin/env python3
"""Validate every YAML file under DIR/data against DIR/data/schema.json; print one line per
file that fails and exit 1. Needs PyYAML and jsonschema (pip)."""
import glob, json, os, sys
import jsonschema, yaml

root = sys.argv[1] if len(sys.argv) > 1 else "."
schema = json.load(open(os.path.join(root, "data", "schema.json"), encoding="utf-8"))
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema)
bad = 0
files = sorted(glob.glob(os.path.join(root, "data", "**", "*.yaml"), recursive=True))
for path in files:
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    errors = list(validator.iter_errors(doc))
    if errors:
        bad += 1
        print(f"{path}: {errors[0].message[:200]}")
print(f"{len(files)} files, {bad} invalid")
sys.exit(1 if bad else 0)
