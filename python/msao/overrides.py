"""Python values to the CLI's `--set key=value` strings."""
import json


def yaml_text(value):
    """A value as YAML flow text: JSON is YAML, so dicts and lists pass as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value)
    return str(value)


def set_args(overrides, seed=None):
    """{key: value} (or a list of "key=value" strings) plus an optional seed,
    as the list `msao run --set` takes; the seed goes last, as --seed does."""
    if overrides is None:
        args = []
    elif isinstance(overrides, dict):
        args = [f"{k}={yaml_text(v)}" for k, v in overrides.items()]
    else:
        args = [str(a) for a in overrides]
    if seed is not None:
        args.append(f"run.seed={int(seed)}")
    return args
