"""Cambodia province boundaries shipped with scamstats (see README.md here)."""
