"""The commands that look across a caseload rather than at one plan: which
reviews, notes and measures are due (`due`), how each client's objectives
are going (`status`), and a clinical director's page of all of it (`report`)."""
