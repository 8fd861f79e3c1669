"""The engine: a rule set and a department's checked inputs in, a result out. Pure: no I/O, no printing."""
