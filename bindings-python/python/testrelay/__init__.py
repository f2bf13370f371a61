"""testrelay for Python: the shared reporter core (classification, status mapping and filter,
batching, failure links, run status, configuration, the run session) and a pytest plugin
built on it.

Every function takes and returns plain data (dicts, lists, str, int, None) in the shapes of
docs/api.md. Errors are :class:`TestrelayError` subclasses with a stable ``.code``; those of
misuse codes are also ``ValueError``.
"""

from ._native import *  # noqa: F403 - the native module is the API; its stub lists it
from ._native import __all__ as __all__
