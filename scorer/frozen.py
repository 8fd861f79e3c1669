"""`Frozen` and `Mutable`: base classes whose subclasses are dataclasses, made without compiling code at import.

`class Location(Frozen): …` is the class `@dataclass(frozen=True)` makes: a dataclass (`fields`, `replace`,
pickling and `__match_args__` work as for any), with value equality and hash over the compared fields, instances
that refuse assignment and deletion (`dataclasses.FrozenInstanceError`), and the same repr. `class …(Mutable)` is
the class `@dataclass` makes: fields that may be assigned, equality by value, no hash.

`dataclass` writes the source of `__init__`, `__eq__`, `__hash__`, `__repr__`, `__setattr__` and `__delattr__`
for each class and compiles it, about a millisecond a class: with some sixty model classes that was most of
`score run`'s start; installing six methods on each class, even shared ones, still took a tenth of it. Here
`__eq__`, `__hash__`, `__repr__`, `__setattr__` and `__delattr__` are the base's own, read per class over the
fields it keeps (`operator.attrgetter`); only `__init__` is the class's: a precompiled function of the same number
of parameters (`frozen_inits.py`, written by `python -m scorer.frozen`) with its names replaced, so creating
an instance costs what it did. A class made this way cannot be (`__post_init__`, `init=False` or keyword-only
fields, more fields than the templates have, a dataclass base) is made by `dataclass` itself.
"""

from __future__ import annotations

import copy
import dataclasses
import types
from collections.abc import Callable
from operator import attrgetter
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar, dataclass_transform, overload

from scorer import frozen_inits

T = TypeVar("T")

MAX_FIELDS = 24  # the templates' largest number of parameters
_set = object.__setattr__


class _Factory:
    """A parameter's default where its field has a default_factory: the factory is called in `__init__`."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()
_showing: set[int] = set()  # the objects whose repr is being written: one that holds itself is shown as "..."


def _eq(self: Frozen | Mutable, other: object) -> bool:
    compared = self.__class__._compared
    if other.__class__ is self.__class__:
        return bool(compared(self) == compared(other))
    return NotImplemented


def _hash(self: Frozen) -> int:
    return hash(self.__class__._hashed(self))


def _repr(self: Any) -> str:
    key = id(self)
    if key in _showing:
        return "..."
    _showing.add(key)
    try:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__class__._shown)
    finally:
        _showing.discard(key)
    return f"{self.__class__.__qualname__}({shown})"


def _refuse_assignment(self: Any, name: str, value: object) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _refuse_deletion(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
class Frozen:
    """The base of a frozen dataclass: its subclasses are made as `@dataclass(frozen=True)` makes them."""

    __slots__ = ()
    # Per subclass: its compared, hashed and shown fields.
    _compared: ClassVar[Callable[[object], tuple[object, ...]]]
    _hashed: ClassVar[Callable[[object], tuple[object, ...]]]
    _shown: ClassVar[tuple[str, ...]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _made(cls, frozen=True)

    __eq__ = _eq
    __hash__ = _hash
    __repr__ = _repr
    __setattr__ = _refuse_assignment
    __delattr__ = _refuse_deletion


@dataclass_transform(field_specifiers=(dataclasses.field, dataclasses.Field))
class Mutable:
    """The base of a changeable dataclass: its subclasses are made as `@dataclass` makes them (no hash)."""

    __slots__ = ()
    _compared: ClassVar[Callable[[object], tuple[object, ...]]]
    _shown: ClassVar[tuple[str, ...]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _made(cls, frozen=False)

    __eq__ = _eq
    __hash__ = None  # type: ignore[assignment]  # equal by value and changeable: unhashable
    __repr__ = _repr


def _made(cls: type, frozen: bool) -> None:
    found = _fields(cls)
    if found is None or len(found) > MAX_FIELDS or hasattr(cls, "__post_init__"):
        dataclasses.dataclass(frozen=frozen)(cls)
        return
    own = cls.__dict__
    # As dataclass leaves them: a field's default stays as the class attribute.
    for name, spec in found.items():
        if isinstance(own.get(name), dataclasses.Field):
            if spec.default is dataclasses.MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, spec.default)
    cls.__dataclass_fields__ = found  # type: ignore[attr-defined]
    cls.__dataclass_params__ = _PARAMS if frozen else _MUTABLE_PARAMS  # type: ignore[attr-defined]
    if "__match_args__" not in own:
        cls.__match_args__ = tuple(found)  # type: ignore[attr-defined,misc]
    if own.get("__doc__") is None:
        cls.__doc__ = cls.__name__ + "(" + ", ".join(found) + ")"
    every = tuple(found.values())
    _init(cls, every)
    cls._shown = tuple(f.name for f in every if f.repr)  # type: ignore[attr-defined]
    cls._compared = _values(tuple(f.name for f in every if f.compare))  # type: ignore[attr-defined]
    if not frozen:
        return
    cls._hashed = _values(  # type: ignore[attr-defined]
        tuple(f.name for f in every if (f.compare if f.hash is None else f.hash))
    )
    if own.get("__hash__", dataclasses.MISSING) is None and "__eq__" in own:
        # The class's own __eq__ left it unhashable; dataclass gives it the hash of its fields.
        cls.__hash__ = _hash  # type: ignore[assignment,method-assign]
    for method in ("__setattr__", "__delattr__"):
        if method in own:
            raise TypeError(f"Cannot overwrite attribute {method} in class {cls.__name__}")


# What dataclasses.fields() looks for in a field (a private mark of the dataclasses module, the same since 3.7).
# Without it every class is made by dataclass itself.
_FIELD = getattr(dataclasses, "_FIELD", None)


def _fields(cls: type) -> dict[str, dataclasses.Field[Any]] | None:
    """The fields as dataclass finds them, from the class's own annotations (read as `from __future__ import
    annotations` leaves them: text), or None where this plain reading may not be enough (a dataclass base,
    ClassVar, InitVar, KW_ONLY, fields outside `__init__` or keyword-only, a mutable default)."""
    if _FIELD is None or any("__dataclass_fields__" in base.__dict__ for base in cls.__mro__[1:]):
        return None
    own = cls.__dict__
    found: dict[str, dataclasses.Field[Any]] = {}
    for name, kind in own.get("__annotations__", {}).items():
        if not isinstance(kind, str) or "ClassVar" in kind or "InitVar" in kind or "KW_ONLY" in kind:
            return None
        default = own.get(name, dataclasses.MISSING)
        if isinstance(default, dataclasses.Field):
            spec = default
            if not spec.init or spec.kw_only is True:
                return None
        elif default is not dataclasses.MISSING and default.__class__.__hash__ is None:
            return None  # dataclass refuses a list, dict or set as a default: let it say so
        else:
            spec = dataclasses.field(default=default)
        spec.name, spec.type = name, kind
        spec._field_type = _FIELD  # type: ignore[attr-defined]
        if spec.kw_only is dataclasses.MISSING:
            spec.kw_only = False  # type: ignore[assignment]
        found[name] = spec
    return found


def _params(frozen: bool) -> Any:
    """The `__dataclass_params__` of a class `dataclass(frozen=frozen)` makes (made without compiling any method)."""

    class Probe:
        """Without a docstring dataclass would write one with inspect.signature."""

    params = copy.copy(dataclasses.dataclass(init=False, repr=False, eq=False)(Probe).__dataclass_params__)  # type: ignore[attr-defined]
    params.init = params.repr = params.eq = True
    params.frozen = frozen
    return params


_PARAMS = _params(frozen=True)
_MUTABLE_PARAMS = _params(frozen=False)


def _init(cls: type, every: tuple[dataclasses.Field[Any], ...]) -> None:
    names = tuple(f.name for f in every)
    template = getattr(frozen_inits, f"init{len(names)}").__code__
    renamed = {f"a{i}": name for i, name in enumerate(names)}
    code = template.replace(
        co_varnames=tuple(renamed.get(n, n) for n in template.co_varnames),
        co_consts=tuple(renamed.get(c, c) if isinstance(c, str) else c for c in template.co_consts),
        co_name="__init__",
        co_qualname=f"{cls.__qualname__}.__init__",
    )
    defaults: list[object] = []
    factories: list[tuple[str, Callable[[], object]]] = []
    for f in every:
        if f.default is not dataclasses.MISSING:
            defaults.append(f.default)
        elif f.default_factory is not dataclasses.MISSING:
            defaults.append(_FACTORY)
            factories.append((f.name, f.default_factory))
        elif defaults:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
    init: Callable[..., None] = types.FunctionType(
        code, frozen_inits.__dict__, "__init__", tuple(defaults) or None
    )
    init.__module__ = cls.__module__
    init.__annotations__ = {**{f.name: f.type for f in every}, "return": None}
    if factories:
        init = _with_factories(init, tuple(factories), cls)
    if "__init__" not in cls.__dict__:
        cls.__init__ = init  # type: ignore[misc]


def _with_factories(
    init: Callable[..., None], factories: tuple[tuple[str, Callable[[], object]], ...], cls: type
) -> Callable[..., None]:
    def __init__(self: object, *args: object, **kwargs: object) -> None:
        init(self, *args, **kwargs)
        values = self.__dict__
        for name, factory in factories:
            if values[name] is _FACTORY:
                _set(self, name, factory())

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    __init__.__module__ = cls.__module__
    __init__.__wrapped__ = init  # type: ignore[attr-defined]  # inspect.signature shows the parameters
    return __init__


def _values(names: tuple[str, ...]) -> Callable[[object], tuple[object, ...]]:
    """The fields' values as one tuple (attrgetter of one name gives the bare value)."""
    if not names:
        return lambda _self: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda self: (one(self),)
    return attrgetter(*names)


def templates(count: int = MAX_FIELDS) -> str:
    """The source of `frozen_inits.py`: one `__init__` per number of fields, stored as `dataclass` would."""
    lines = [
        '"""Written by `python -m scorer.frozen`: templates of `__init__` for `scorer/frozen.py`."""',
        "",
        "# ruff: noqa: E701, E702",
        "# fmt: off",
        "",
    ]
    for n in range(count + 1):
        params = "".join(f", a{i}" for i in range(n))
        # Straight into the instance's dict: the same as object.__setattr__ for a field (no class attribute of
        # a field's name is a data descriptor), at half the cost of a call per field.
        stores = "; ".join(f'_values_["a{i}"] = a{i}' for i in range(n))
        body = f"_values_ = self.__dict__; {stores}" if n else "pass"
        lines.append(f"def init{n}(self{params}): {body}")
    return "\n".join(lines) + "\n"


class derived(Generic[T]):  # noqa: N801 - used as a decorator, as functools.cached_property is
    """A value worked out from a frozen object's fields on first read and kept on the object, as
    `functools.cached_property` does, without the lock Python 3.11 takes on every first read (a batch reads
    these on thousands of fresh objects a second). Not a field: never compared, hashed or shown."""

    def __init__(self, func: Callable[[Any], T]):
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> derived[T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> T | derived[T]:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)
        return value


if __name__ == "__main__":
    target = Path(__file__).with_name("frozen_inits.py")
    target.write_text(templates(), encoding="utf-8")
    print(f"wrote {target}")
