"""The vocabularies in `reference.py` are the descriptor's enums, word for word and in order,
and every enum of the descriptor has its one vocabulary there."""

import json

import pytest

from scamstats import reference
from scamstats.paths import DESCRIPTOR_PATH

# Each enum field of datapackage.json and the one vocabulary it takes its words from.
VOCABULARY_OF_FIELD = {
    ("sources", "published_precision"): reference.DATE_PRECISIONS,
    ("sources", "source_type"): reference.SOURCE_TYPES,
    ("sources", "reliability"): reference.RELIABILITIES,
    ("compounds", "province_code"): tuple(reference.PROVINCES),
    ("compounds", "geo_precision"): reference.GEO_PRECISIONS,
    ("compounds", "former_use"): reference.FORMER_USES,
    ("compounds", "first_reported_precision"): reference.DATE_PRECISIONS,
    ("compounds", "status"): reference.COMPOUND_STATUSES,
    ("compounds", "status_date_precision"): reference.DATE_PRECISIONS,
    ("raids", "event_type"): reference.EVENT_TYPES,
    ("raids", "date_precision"): reference.DATE_PRECISIONS,
    ("raids", "province_code"): tuple(reference.PROVINCES),
    ("raids", "persons_detained_qualifier"): reference.QUALIFIERS,
    ("raids", "persons_rescued_qualifier"): reference.QUALIFIERS,
    ("arrests", "metric"): reference.METRICS,
    ("arrests", "qualifier"): reference.QUALIFIERS,
    ("arrests", "as_of_precision"): reference.DATE_PRECISIONS,
    ("arrests", "sex"): reference.SEXES,
    ("survivors", "dimension"): reference.SURVIVOR_DIMENSIONS,
    ("survivors", "qualifier"): reference.QUALIFIERS,
    ("timeline", "date_precision"): reference.DATE_PRECISIONS,
    ("timeline", "category"): reference.TIMELINE_CATEGORIES,
}


def descriptor_enums() -> dict[tuple[str, str], list[str]]:
    descriptor = json.loads(DESCRIPTOR_PATH.read_text(encoding="utf-8"))
    return {
        (resource["name"], field["name"]): field["constraints"]["enum"]
        for resource in descriptor["resources"]
        for field in resource["schema"]["fields"]
        if "enum" in field.get("constraints", {})
    }


@pytest.mark.parametrize(("resource", "field"), sorted(VOCABULARY_OF_FIELD))
def test_vocabulary_is_the_descriptors_enum(resource, field):
    assert list(VOCABULARY_OF_FIELD[resource, field]) == descriptor_enums()[resource, field]


def test_every_enum_of_the_descriptor_has_a_vocabulary():
    assert sorted(descriptor_enums()) == sorted(VOCABULARY_OF_FIELD)


def test_person_and_site_metrics_are_every_metric_once():
    groups = (reference.PERSON_METRICS, reference.SITE_METRICS, reference.CASE_METRICS,
              reference.DESIGNATION_METRICS, reference.SHARE_METRICS)
    assert sorted(m for group in groups for m in group) == sorted(reference.METRICS)
    assert sorted(reference.METRIC_UNITS) == sorted(reference.METRICS)
