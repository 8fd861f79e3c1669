"""What the engine raises: a rule that failed on a department's values (the user's problem, located in the rule
file), or a bug the checks before the engine should have caught."""

from __future__ import annotations

from scorer.errors import Location
from scorer.facts import Message
from scorer.i18n import Worded
from scorer.kinds.specs import where
from scorer.rules.model import Indicator


class EngineError(Worded):
    """Something the checks before the engine should have caught: a bug, not a user's mistake."""


class RuleRuntimeError(Worded):
    """A rule's formula failed on a department's values (e.g. an unguarded division). Names the indicator."""

    def __init__(
        self, indicator: Indicator, message: Message, key: str = "formula", path: tuple[str | int, ...] = ()
    ):
        self.indicator = indicator
        self.key = key  # the rule file's key whose text failed, for its line
        self.path = path or (key,)
        super().__init__(message)

    def location(self) -> Location:
        """The rule file, line, indicator and key of the text that failed."""
        rule = self.indicator
        return Location(rule.path, rule.lines.line(self.path), rule.id, where(self.path))
