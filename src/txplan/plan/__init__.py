"""The plan file: its format (the pydantic model and its JSON Schema), reading
it with the position of every value, validating it, finding plans in folders,
editing it in place without losing a byte, writing files as a health record
must be written, and its history in git. Nothing here knows a rule."""
