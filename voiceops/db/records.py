"""Many rows as one parameter: a JSON array read back with ``jsonb_to_recordset``.

psycopg adapts a Python list to a PostgreSQL array element by element in Python; a batch
statement with a dozen array parameters spent more time there than the server spent running it.
One JSON document per statement costs one C-speed ``json.dumps`` instead."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from functools import partial
from typing import Any
from uuid import UUID

from psycopg.types.json import Jsonb


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    raise TypeError(f"cannot send {type(value).__name__} as a JSON record field")


_dumps = partial(json.dumps, default=_plain, separators=(",", ":"))


def records(rows: Iterable[dict[str, Any]]) -> Jsonb:
    """The parameter for ``jsonb_to_recordset(%s) AS r(column type, ...)``."""
    return Jsonb(list(rows), dumps=_dumps)
