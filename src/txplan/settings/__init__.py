"""Reading `txplan.toml`: its shape as a pydantic model (shape.py, also
`txplan schema --config`) and the file found by walking up from a plan and
checked against the rule codes and the plan format (reading.py). A bad
setting is not a finding about a plan: it stops the command with a one-line
error naming the file and the key (exit 2), because every result computed
under a wrong setting would be wrong."""
