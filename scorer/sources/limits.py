"""How much a file may hold before it is refused: what any reader of a rule or inputs file checks."""

MAX_FILE_BYTES = 5 * 1024 * 1024
# Aliases make a small file expand into a huge tree ("billion laughs"); count what is built, not what is read.
MAX_NODES = 200_000
MAX_DEPTH = 64  # no rule or inputs file nests deeper than a handful of levels
