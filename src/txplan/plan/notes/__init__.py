"""Session notes: the note file (model, reader) and the plan in force on a
session's date (in_force)."""
