"""Reference data the rules check against: ISO 3166-2:KH provinces, ISO 3166-1 alpha-3
codes, Cambodia's bounding box, the earliest date the package covers, and the descriptor's
vocabularies (each enum of `datapackage.json` typed once, in its order; a test keeps them
equal to the descriptor)."""

import datetime as dt

import pycountry

# ISO 3166-2:KH. KH-25 Tboung Khmum was split from Kampong Cham in 2013.
PROVINCES: dict[str, str] = {
    "KH-1": "Banteay Meanchey",
    "KH-2": "Battambang",
    "KH-3": "Kampong Cham",
    "KH-4": "Kampong Chhnang",
    "KH-5": "Kampong Speu",
    "KH-6": "Kampong Thom",
    "KH-7": "Kampot",
    "KH-8": "Kandal",
    "KH-9": "Koh Kong",
    "KH-10": "Kratie",
    "KH-11": "Mondulkiri",
    "KH-12": "Phnom Penh",
    "KH-13": "Preah Vihear",
    "KH-14": "Prey Veng",
    "KH-15": "Pursat",
    "KH-16": "Ratanakiri",
    "KH-17": "Siem Reap",
    "KH-18": "Preah Sihanouk",
    "KH-19": "Stung Treng",
    "KH-20": "Svay Rieng",
    "KH-21": "Takeo",
    "KH-22": "Oddar Meanchey",
    "KH-23": "Kep",
    "KH-24": "Pailin",
    "KH-25": "Tboung Khmum",
}

COUNTRY_CODES: frozenset[str] = frozenset(c.alpha_3 for c in pycountry.countries)

# Cambodia's extent with a small margin (degrees): 102.3-107.7 E, 10.4-14.7 N.
BBOX = {"lat_min": 9.9, "lat_max": 14.8, "lon_min": 102.3, "lon_max": 107.7}

EARLIEST_DATE = dt.date(2015, 1, 1)


# --------------------------------------------------------------------------------------
# Vocabularies: the descriptor's enums, in the descriptor's order (the order they are shown in).

# Every `*_precision` field: how exactly a date is known.
DATE_PRECISIONS = ("day", "month", "year")

# Every count's qualifier (arrests, survivors, and the raids' persons_*_qualifier).
QUALIFIERS = ("exact", "at_least", "about", "at_most")

# sources
SOURCE_TYPES = (
    "ngo_report", "ngo_statement", "news", "government_statement", "un_report",
    "embassy_statement", "court_or_sanctions", "other",
)
RELIABILITIES = ("primary", "attributed", "unattributed")

# compounds
GEO_PRECISIONS = ("exact", "town", "district", "province")
FORMER_USES = ("casino", "hotel", "resort", "sez", "office", "residential", "other", "unknown")
COMPOUND_STATUSES = ("operating", "raided", "sealed", "closed", "relocated", "unknown")

# raids
EVENT_TYPES = ("raid", "rescue", "sealing", "inspection")

# arrests
METRICS = (
    "arrested", "detained", "deported", "repatriated", "prosecuted", "convicted", "rescued",
    "released_or_escaped", "sites_raided", "sites_sealed", "estimated_held", "sites_identified",
    "sites_suspected", "awaiting_return", "assistance_cases", "designated_persons",
    "designated_entities", "sites_operating_after_raids_pct",
)
# What each metric counts: people, sites, cases an embassy or ministry handled, sanctions
# designations, or a study's share of its sites in per cent (the five together are every metric).
PERSON_METRICS = (
    "arrested", "detained", "deported", "repatriated", "prosecuted", "convicted", "rescued",
    "released_or_escaped", "estimated_held", "awaiting_return",
)
SITE_METRICS = ("sites_raided", "sites_sealed", "sites_identified", "sites_suspected")
CASE_METRICS = ("assistance_cases",)
DESIGNATION_METRICS = ("designated_persons", "designated_entities")
# A published share, not a count: whole per cent of the sites the same study identified.
SHARE_METRICS = ("sites_operating_after_raids_pct",)
# The unit each metric is counted in.
METRIC_UNITS = {
    **dict.fromkeys(PERSON_METRICS, "persons"), **dict.fromkeys(SITE_METRICS, "sites"),
    **dict.fromkeys(CASE_METRICS, "cases"), **dict.fromkeys(DESIGNATION_METRICS, "designations"),
    **dict.fromkeys(SHARE_METRICS, "per cent"),
}
SEXES = ("female", "male")

# survivors
SURVIVOR_DIMENSIONS = ("total", "nationality", "sex", "age_group", "nationalities")

# timeline
TIMELINE_CATEGORIES = (
    "directive", "report", "sanctions", "arrest", "extradition", "release", "law", "statement",
    "operation", "other",
)
