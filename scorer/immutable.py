"""Read-only data for the rule set: a mapping that cannot change and hashes by its items (`FrozenMap`), a deep
`freeze` of what a YAML document gives (mappings and lists), and a `Memo` for what is derived from a frozen value
(a scoring plan, a schema), made once and kept with the value itself rather than in a module's cache."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping
from functools import lru_cache
from typing import Any, TypeVar

from msgspec import Struct, structs

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


class FrozenMap(Mapping[K, V]):
    """A mapping no one can change: equal to any mapping of the same items, hashed by them (values must be
    hashable), pickled as a dict's items."""

    __slots__ = ("_items", "_hash")

    def __init__(self, items: Mapping[K, V] | Iterator[tuple[K, V]] | tuple[tuple[K, V], ...] = ()) -> None:
        self._items: dict[K, V] = dict(items)
        self._hash: int | None = None

    def __getitem__(self, key: K) -> V:
        return self._items[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._items.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._items == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenMap({self._items!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (tuple(self._items.items()),))


def freeze(value: Any) -> Any:
    """`value` with every mapping made a FrozenMap and every list a tuple, all the way down."""
    if isinstance(value, Mapping):
        return FrozenMap((key, freeze(item)) for key, item in value.items())
    if isinstance(value, list | tuple):
        return tuple(freeze(item) for item in value)
    return value


class Memo:
    """What is derived from the frozen value holding it, each thing made once by key. It is not part of that
    value: every Memo is equal to every other, hashes as 0, and pickles empty."""

    __slots__ = ("_made",)

    def __init__(self) -> None:
        self._made: dict[Hashable, Any] = {}

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """The thing kept under `key`, made now if it was not."""
        if key not in self._made:
            self._made[key] = make()
        made: T = self._made[key]
        return made

    def find(self, key: Hashable) -> Any:
        """The thing kept under `key`, or None."""
        return self._made.get(key)

    def keep(self, key: Hashable, value: Any) -> None:
        """Keep `value` under `key` (for a thing kept only when making it went well)."""
        self._made[key] = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Memo)

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "Memo()"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Memo, ())


_REUSED: list[Any] = []  # every cache `reused` made


def reused(maxsize: int) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """`functools.lru_cache(maxsize)` for what repeats from one department to the next (a target's text, a
    value's fraction, a number's JSON form); `let_go()` empties them all."""

    def keep(function: Callable[..., T]) -> Callable[..., T]:
        kept = lru_cache(maxsize=maxsize)(function)
        _REUSED.append(kept)
        return kept

    return keep


def let_go() -> None:
    """Empty the caches of scoring, once a batch's last department is scored: the memory they held (some 5 MB)
    is then what the summaries' writers reuse (openpyxl's modules take 10 MB), rather than more on the peak."""
    for kept in _REUSED:
        kept.cache_clear()


def replace(value: Any, /, **changes: Any) -> Any:
    """A copy of a frozen value with `changes`, whether it is a Struct (msgspec) or a dataclass: for code that
    changes both kinds of the model's values."""
    if isinstance(value, Struct):
        return structs.replace(value, **changes)
    import dataclasses

    return dataclasses.replace(value, **changes)
