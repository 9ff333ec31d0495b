"""The commands that explain txplan's formats rather than act on plans:
`txplan rule` (the rules) and `txplan schema` (the plan format)."""
