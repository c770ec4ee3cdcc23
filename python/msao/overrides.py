"""Python values to the CLI's `--set key=value` strings."""
from __future__ import annotations

import json
import warnings
from typing import Any, Mapping, Optional, Sequence, Union

Overrides = Union[Mapping[str, Any], Sequence[str], None]


def yaml_text(value: Any) -> str:
    """Returns a value as YAML flow text: JSON is YAML, so dicts and lists pass as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value)
    return str(value)


def set_args(overrides: Overrides, seed: Optional[int] = None) -> list[str]:
    """Returns {key: value} (or a list of "key=value" strings) plus an
    optional seed as the list `msao run --set` takes; the seed goes last,
    as --seed does."""
    if overrides is None:
        args = []
    elif isinstance(overrides, Mapping):
        args = [f"{k}={yaml_text(v)}" for k, v in overrides.items()]
    else:
        args = [str(a) for a in overrides]
    if seed is not None:
        args.append(f"run.seed={int(seed)}")
    return args


def take_overrides(overrides: Overrides, legacy: dict[str, Any], function: str) -> Overrides:
    """Returns the overrides given as `overrides=`, or as the older `set=`
    (which shadows Python's built-in set; still accepted, with a
    DeprecationWarning). Any other unexpected keyword is a TypeError."""
    if "set" in legacy:
        if overrides is not None:
            raise TypeError(f"{function}() got both overrides= and set=; give overrides= only")
        warnings.warn(f"{function}(set=...) is deprecated: use overrides=", DeprecationWarning, stacklevel=3)
        overrides = legacy.pop("set")
    if legacy:
        raise TypeError(f"{function}() got an unexpected keyword argument '{next(iter(legacy))}'")
    return overrides
