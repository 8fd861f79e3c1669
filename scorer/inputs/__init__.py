"""A department's inputs: its model, read from YAML, a workbook or a sheet row, checked against one rule set."""
