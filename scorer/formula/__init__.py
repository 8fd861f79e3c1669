"""The formula language (allow-listed, exact over fractions) and reason templates, written and read back."""
