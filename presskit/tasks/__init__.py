"""The doit layer: tasks, their up-to-date checks, the database and the reporter."""
