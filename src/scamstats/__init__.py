"""scamstats: a sourced, validated open data package about Cambodia's scam compounds."""

__version__ = "0.1.0"
