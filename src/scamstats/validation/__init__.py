"""The machinery of `scamstats validate`, by step; `scamstats.validate.validate_package` runs it.

`scan` reads each CSV as text with the byte scans only validation needs, `report` holds what
is found, `tables` checks a table against its Table Schema, `domain` runs the rules declared
in `scamstats.schemas`, `descriptor` checks the descriptor and the files' hashes, and
`background` runs work beside polars in a thread.
"""
