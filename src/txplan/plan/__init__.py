"""The plan file: its format (the pydantic model), reading it with the
position of every value, validating it, the placeholders a scaffold leaves
and the suppressions a clinician writes, finding plans in folders, editing a
plan in place without losing a byte, writing files as a health record must
be written, and its history in git. Nothing here knows a rule."""
