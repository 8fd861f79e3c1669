"""Many departments at once: where they come from (`sources`), scoring them in one or more processes
(`stream`), what a bureau reads about them (`summary`) and their history in SQLite (`history`)."""
