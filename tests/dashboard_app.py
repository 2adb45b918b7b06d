"""What the AppTest tests of the dashboard share: running the app as a link would open it,
opening what is folded away, and reading what is on screen."""

from __future__ import annotations

import json
import re
import sys

from conftest import REPO_DIR
from streamlit.testing.v1 import AppTest

APP = REPO_DIR / "dashboard" / "app.py"
sys.path.insert(0, str(APP.parent))  # the dashboard's own modules (widgets, charts...)

PAGES = {
    "overview": "Cambodia's scam compounds, in sourced numbers",
    "arrests": "Arrests and deportations",
    "raids": "Raids",
    "compounds": "Compounds",
    "disagree": "Where sources disagree",
    "survivors": "Survivors",
    "search": "Search quotes",
    "sources": "Sources",
    "download": "Download and cite",
}
# The charts each page draws when it opens, and those drawn once an expander is opened.
CHARTS = {"overview": 1, "arrests": 1, "raids": 1, "compounds": 1, "disagree": 0, "survivors": 1, "search": 0,
          "sources": 0, "download": 0}
FOLDED_CHARTS = {"overview": 1}  # the chart of every headline figure, with its table


def start(page: str | None = None, opened: tuple[str, ...] = (), **params) -> AppTest:
    """Run the app as a link with these query parameters would open it, with the expanders and
    popovers of these keys open (what they hold is built only once they are opened)."""
    app = AppTest.from_file(str(APP), default_timeout=90)
    if page:
        app.query_params["page"] = page
    for name, value in params.items():
        app.query_params[name] = value
    for key in opened:
        app.session_state[key] = True
    return ok(app.run())


def folded_keys(app: AppTest) -> list[str]:
    """The keys of the page's expanders and popovers whose content is built once opened."""
    return [element.proto.id.split("-", 2)[2] for element in [*app.expander, *app.get("popover")]
            if element.proto.id.startswith("$$ID-")]


def open_everything(app: AppTest) -> AppTest:
    """Open every folded expander and popover of the page, as a reader clicking each would
    (also those that opening another brings)."""
    opened: set[str] = set()
    while True:
        keys = [key for key in folded_keys(app) if key not in opened]
        for key in keys:
            app.session_state[key] = True
        opened.update(keys)
        ok(app.run())
        if not keys:
            return app


def ok(app: AppTest) -> AppTest:
    """Fail on an exception; also on a page that drew nothing (a script that does not compile)."""
    assert not app.exception, [e.value for e in app.exception]
    assert len(app.title) == 1, "the page drew no title"
    return app


def charts(app: AppTest) -> list[dict]:
    """The plotly figures on the page, as the JSON the browser receives."""
    return [json.loads(element.proto.spec) for element in app.get("plotly_chart")]


def points(figure: dict) -> list[tuple[str, str, float]]:
    """(trace name, x, y) of every plotted point, legend-only traces left out."""
    return [(trace.get("name", ""), x, y) for trace in figure["data"]
            for x, y in zip(trace.get("x") or [], trace.get("y") or [], strict=False) if x is not None]


def url(app: AppTest, name: str) -> list[str]:
    """A query parameter's values as a list (AppTest gives one value as a string)."""
    value = app.query_params.get(name)
    return value if isinstance(value, list) else [] if value is None else [value]


def frame(app: AppTest, key: str):
    """The page's main table (the last one: quote tables in chart expanders come before it)."""
    assert app.dataframe, f"no table ({key})"
    return app.dataframe[-1].value


def infos(app: AppTest) -> str:
    return " ".join(i.value for i in app.info)


def go_to(app: AppTest, page: str) -> AppTest:
    return ok(app.sidebar.radio(key="page").set_value(page).run())


def texts(app: AppTest) -> str:
    """Every markdown and caption on the page, as a reader sees it (markdown escapes undone)."""
    return re.sub(r"\\(.)", r"\1", "\n".join(e.value for e in [*app.markdown, *app.caption, *app.subheader]))


def cited(app: AppTest) -> str:
    """Every citation on the page: code blocks, and the view's citation at the page's foot."""
    return "\n".join([*(code.value for code in app.code), texts(app)])


def alts(app: AppTest) -> list[str]:
    return [element.proto.alt for element in app.get("plotly_chart")]
