"""Quote search (`stats.search_quotes`): every quote and source title, in any script; where
the words searched for and the row's number stand in the quote."""

import pytest

from scamstats import stats
from scamstats.package import load_package


@pytest.fixture(scope="module")
def package():
    return load_package()


@pytest.mark.parametrize("text, query, found", [
    ("đã bắt giữ 805 nghi phạm", "bat giu", "bắt giữ"),
    ("Police in SIHANOUKVILLE", "sihanoukville", "SIHANOUKVILLE"),
    ("警方逮捕65名嫌疑人", "逮捕", "逮捕"),
    ("２０２５年", "2025", "２０２５"),
    ("a  double   space", "double space", "double   space"),
    ("ตำรวจจับกุม 20 คน", "จับกุม", "จับกุม"),
])
def test_match_spans_in_any_script(text, query, found):
    (start, end), *_ = stats.match_spans(text, query)
    assert text[start:end] == found


def test_other_scripts_keep_their_marks():
    # A Thai vowel sign is part of the word: dropping it would find other words.
    assert stats.match_spans("จับกุม", "จบกม") == []
    assert stats.match_spans("", "x") == [] and stats.match_spans("text", "  ") == []


@pytest.mark.parametrize("text, value, found", [
    ("brought to 2,137 the total", 2137, ["2,137"]),
    ("sebanyak 1.213 WNI", 1213, ["1.213"]),
    ("13 500 people", 13500, ["13 500"]),
    ("nine children among 58", 9, ["nine"]),
    ("in 2025, 25 were held", 25, ["25"]),
    ("no number here", 7, []),
])
def test_number_spans(text, value, found):
    assert [text[a:b] for a, b in stats.number_spans(text, value)] == found


def test_search_quotes_finds_rows_and_titles_with_spans(package):
    found = stats.search_quotes(package, "2,137")
    assert found.height >= 1 and set(found.columns) == set(stats.SEARCH_SCHEMA)
    shown = {row["quote"][start:end] for row in found.filter(found["value"] == 2137).iter_rows(named=True)
             for start, end in row["number_spans"]}
    assert "2,137" in shown and {text.replace(".", ",") for text in shown} == {"2,137"}
    titled = stats.search_quotes(package, "living nightmare")  # a title, in no quote
    assert "title" in " ".join(titled["matched_in"])
    assert stats.search_quotes(package, "   ").height == 0
    assert stats.search_quotes(package, "zzz-nothing-zzz").schema == stats.search_quotes(package, "").schema


def test_search_covers_every_quoted_resource(package):
    resources = set(stats.search_quotes(package, "a")["resource"])
    assert resources == {"arrests", "raids", "compounds", "survivors", "timeline"}


def test_a_number_is_found_however_its_source_groups_the_digits(package):
    comma, point, bare = (stats.search_quotes(package, q) for q in ("2,137", "2.137", "2137"))
    assert comma["row_id"].to_list() == point["row_id"].to_list() == bare["row_id"].to_list()
    quoted = {row["quote"][a:b] for row in comma.iter_rows(named=True) for a, b in row["quote_spans"]}
    assert {"2,137", "2.137"} <= quoted  # AP's English and the Indonesian pages' grouping
    assert stats.query_number("2 137") == 2137 and stats.query_number("Bavet 2,137") is None
