"""govkg: a knowledge graph of community-governance practices in China."""

__version__ = "0.1.0"
