"""txplan: check, review and render mental-health treatment plans kept as YAML."""

__version__ = "0.1.0"
