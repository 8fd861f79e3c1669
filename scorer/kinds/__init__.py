"""How a rule scores: one module per scoring kind, their specs, reading, lint, needs and the row they score."""
