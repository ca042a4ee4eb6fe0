"""Strict JSON Schema validation of mmu's --json output (used by the tests).

Usage: python validate_json.py SCHEMA FILE [SCHEMA FILE ...]

Each FILE holds JSON Lines (one value per line; a document is one line). Every line must parse as
strict JSON (no duplicate keys, no NaN or Infinity) and validate against its draft 2020-12 SCHEMA
with format checking. Each schema must itself be strict: every object schema that lists
properties forbids others (additionalProperties: false) and requires them all, and every
"format" it uses is one the installed checker really checks (jsonschema passes formats whose
optional checker package is missing, such as date-time without rfc3339-validator).
Prints one line per problem; exit status 0 when all is valid, 1 when anything is not, 2 on
trouble (bad usage, an unreadable file, a schema that is not valid JSON Schema).
"""
import json
import sys

from jsonschema import Draft202012Validator


def strict_object(pairs):
    keys = [key for key, _ in pairs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValueError(f"duplicate keys {duplicates}")
    return dict(pairs)


def refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


def loose_objects(schema, path="#"):
    """The places where an object schema lists properties but lets others in or leaves some optional."""
    problems = []
    if isinstance(schema, dict):
        format_name = schema.get("format")
        if isinstance(format_name, str) and format_name not in Draft202012Validator.FORMAT_CHECKER.checkers:
            problems.append(f"{path}: format '{format_name}' is not checked by this jsonschema installation")
        if "properties" in schema:
            if schema.get("additionalProperties") is not False:
                problems.append(f"{path}: additionalProperties is not false")
            if sorted(schema.get("required", [])) != sorted(schema["properties"]):
                problems.append(f"{path}: not every property is required")
        for key, value in schema.items():
            problems += loose_objects(value, f"{path}/{key}")
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            problems += loose_objects(value, f"{path}/{index}")
    return problems


def main(arguments):
    if len(arguments) == 0 or len(arguments) % 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    problems = []
    for schema_path, data_path in zip(arguments[0::2], arguments[1::2]):
        with open(schema_path, encoding="utf-8") as file:
            schema = json.load(file, object_pairs_hook=strict_object)
        Draft202012Validator.check_schema(schema)
        problems += [f"{schema_path}: {problem}" for problem in loose_objects(schema)]
        validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        with open(data_path, encoding="utf-8") as file:
            for number, line in enumerate(file, start=1):
                try:
                    value = json.loads(line, object_pairs_hook=strict_object, parse_constant=refuse_constant)
                except ValueError as error:
                    problems.append(f"{data_path}:{number}: not strict JSON: {error}")
                    continue
                for error in validator.iter_errors(value):
                    where = "/".join(str(part) for part in error.absolute_path) or "(top)"
                    problems.append(f"{data_path}:{number}: {where}: {error.message}")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    try:
        status = main(sys.argv[1:])
    except Exception as error:
        print(f"trouble: {type(error).__name__}: {error}", file=sys.stderr)
        status = 2
    sys.exit(status)
