"""`@frozen`: a frozen dataclass, made without compiling code at import.

`@dataclass(frozen=True)` writes the source of `__init__`, `__eq__`, `__hash__`, `__repr__`, `__setattr__` and
`__delattr__` for each class and compiles it, about a millisecond a class: with some fifty model classes that was
most of `score run`'s start. `@frozen` makes the same class (a dataclass: `fields`, `replace`, pickling and
`__match_args__` work as before) with the same behaviour: value equality and hash over the compared fields,
instances that refuse assignment and deletion (`dataclasses.FrozenInstanceError`), the same repr. `__eq__`,
`__hash__` and `__repr__` are shared functions over `operator.attrgetter`; `__init__` is a precompiled function of
the same number of parameters (`frozen_inits.py`, written by `python -m scorer.model.frozen`) with its names
replaced, so creating an instance costs what it did. A class `@frozen` cannot make this way (`__post_init__`,
`init=False` or keyword-only fields, more fields than the templates have) is made by `dataclass(frozen=True)`.
"""

from __future__ import annotations

import copy
import dataclasses
import types
from collections.abc import Callable
from operator import attrgetter
from pathlib import Path
from typing import Any, Generic, TypeVar, dataclass_transform, overload

from scorer.model import frozen_inits

T = TypeVar("T")

MAX_FIELDS = 24  # the templates' largest number of parameters
_set = object.__setattr__


class _Factory:
    """A parameter's default where its field has a default_factory: the factory is called in `__init__`."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def frozen(cls: type[T]) -> type[T]:
    """The class as `@dataclass(frozen=True)` makes it."""
    return _made(cls, frozen=True)


@dataclass_transform(field_specifiers=(dataclasses.field, dataclasses.Field))
def mutable(cls: type[T]) -> type[T]:
    """The class as `@dataclass` makes it: fields that may be assigned, equality by value, no hash."""
    return _made(cls, frozen=False)


def _made(cls: type[T], frozen: bool) -> type[T]:
    found = _fields(cls)
    if found is None or len(found) > MAX_FIELDS or hasattr(cls, "__post_init__"):
        return dataclasses.dataclass(frozen=frozen)(cls)
    own = cls.__dict__
    for (
        name,
        spec,
    ) in found.items():  # as dataclass leaves them: a field's default stays as the class attribute
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
    class_hash = own.get("__hash__", dataclasses.MISSING)  # as dataclass decides whether to add __hash__
    explicit_hash = not (class_hash is dataclasses.MISSING or (class_hash is None and "__eq__" in own))
    _init(cls, every)
    if "__repr__" not in own:
        _repr(cls, tuple(f.name for f in every if f.repr))
    if "__eq__" not in own:
        _equality(cls, tuple(f.name for f in every if f.compare))
    if not frozen:
        if not explicit_hash:
            cls.__hash__ = None  # type: ignore[assignment]  # equal by value and changeable: unhashable
        return cls
    if not explicit_hash:
        _hash(cls, tuple(f.name for f in every if (f.compare if f.hash is None else f.hash)))
    _refuse_changes(cls, frozenset(found))
    return cls


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


def _equality(cls: type, names: tuple[str, ...]) -> None:
    values = _values(names)

    def __eq__(self: object, other: object) -> bool:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    __eq__.__qualname__ = f"{cls.__qualname__}.__eq__"
    cls.__eq__ = __eq__  # type: ignore[method-assign,assignment]


def _hash(cls: type, names: tuple[str, ...]) -> None:
    values = _values(names)

    def __hash__(self: object) -> int:
        return hash(values(self))

    __hash__.__qualname__ = f"{cls.__qualname__}.__hash__"
    cls.__hash__ = __hash__  # type: ignore[method-assign,assignment]


def _repr(cls: type, names: tuple[str, ...]) -> None:
    showing: set[int] = set()  # a value that holds itself is shown as "..." (as dataclass does)

    def __repr__(self: object) -> str:
        key = id(self)
        if key in showing:
            return "..."
        showing.add(key)
        try:
            shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        finally:
            showing.discard(key)
        return f"{self.__class__.__qualname__}({shown})"

    __repr__.__qualname__ = f"{cls.__qualname__}.__repr__"
    cls.__repr__ = __repr__  # type: ignore[method-assign,assignment]


def _refuse_changes(cls: type, names: frozenset[str]) -> None:
    def __setattr__(self: object, name: str, value: object) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)  # type: ignore[arg-type]

    def __delattr__(self: object, name: str) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)  # type: ignore[arg-type]

    for method in (__setattr__, __delattr__):
        method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
        if method.__name__ in cls.__dict__:
            raise TypeError(f"Cannot overwrite attribute {method.__name__} in class {cls.__name__}")
        setattr(cls, method.__name__, method)


def templates(count: int = MAX_FIELDS) -> str:
    """The source of `frozen_inits.py`: one `__init__` per number of fields, stored as `dataclass` would."""
    lines = [
        '"""Written by `python -m scorer.model.frozen`: templates of `__init__` for `scorer/model/frozen.py`."""',
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
