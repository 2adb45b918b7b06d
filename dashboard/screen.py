"""A registry figure readied for a screen of any width, from a desktop's to a phone's (390 px).

Plotly draws at a fixed size what the registry made for print; on a screen the words must
wrap and nothing may cover the plot. `for_screen` returns a copy of a figure with: no title
or footer inside the picture (the page writes them around it, where they wrap), the legend
and colour scales below the plot, the panels' own titles kept above them (wrapped), long
category labels above their rows instead of in a left margin, stacked panels given the height
their rows need, the right one of two panels with its axis on its right, long words inside
the plot wrapped, and date ticks and heat map counts that stand apart at a phone's width
(`phone`). `notes_below` takes out of the
picture what a figure writes in its corners and numbers its milestones, returning the words
the page writes under it. Layout only: no number changes here.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import plotly.graph_objects as go
from phone import clear_end_labels, fit_date_ticks, fit_heatmap_cells, fit_map_labels

LABEL_CHARS = 46  # a label line that fits a phone's width (390 px) at 12 px
MARKUP = re.compile(r"<[^>]+>")
SPANNED = re.compile(r"(<span[^>]*>)([^<]*)</span>")
LONG_LABEL = 20  # characters: a category label longer than this goes above its row
PANEL_GAP = 100  # pixels between panels stacked one above the other: the upper one's axis, the lower one's title
LINE = 15  # pixels per line of a label at 11 to 12 px


def wrapped(text: str, width: int = LABEL_CHARS) -> list[str]:
    """The words of a label in lines of at most `width` characters (a longer word alone)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def label_lines(label: str, width: int = LABEL_CHARS) -> list[str]:
    """A label as the lines it is written in: its plain words wrapped to a phone's width, a
    line with markup (a publisher in grey) kept whole on a line of its own. The text is the
    figure's, as plotly would have drawn it where the figure put it."""
    lines: list[str] = []
    words: list[str] = []
    for line in [*re.split(r"<br\s*/?>", label), "<end>"]:
        styled = SPANNED.fullmatch(line)
        if styled:  # one span of plain words (a quote in grey): wrapped, each line in the span
            lines += wrapped(" ".join(words), width) if words else []
            lines += [f"{styled[1]}{part}</span>" for part in wrapped(styled[2], width)]
            words = []
        elif MARKUP.search(line):
            lines += wrapped(" ".join(words), width) if words else []
            lines += [line] if line != "<end>" else []
            words = []
        else:
            words.append(line.strip())
    return lines


def _yaxis(figure: go.Figure, name: str):
    """The layout's y axis of a trace's `yaxis` name ('y', 'y2')."""
    return figure.layout[name.replace("y", "yaxis", 1)]


def panel_tops(figure: go.Figure) -> list[float]:
    """The top of each y axis domain (paper coordinates)."""
    return [(axis.domain or (0, 1))[1] for axis in figure.select_yaxes()]


def is_panel_title(figure: go.Figure, note) -> bool:
    """Whether a note is a panel's title: written on the paper just above one of the panels of
    a figure that has several (above a figure's only panel a note is a note)."""
    panels = max(len(list(figure.select_xaxes())), len(list(figure.select_yaxes())))
    return (panels > 1 and note.xref == "paper" and note.yref == "paper" and note.yanchor == "bottom"
            and note.y is not None and bool(note.text) and any(abs(note.y - top) < 0.02 for top in panel_tops(figure)))


def corner_notes(figure: go.Figure) -> tuple[str, ...]:
    """Take the notes a figure writes at a fixed place on the paper (a corner, a side) out of
    the picture and return their words: on a phone they would cover bars or leave the frame.
    A panel's title stays above its panel."""
    kept, notes = [], []
    for note in figure.layout.annotations:
        if note.xref == "paper" and note.yref == "paper" and note.text and not is_panel_title(figure, note):
            notes.append(" ".join(html.unescape(MARKUP.sub(" ", note.text)).split()))
        else:
            kept.append(note)
    figure.layout.annotations = kept
    return tuple(notes)


def notes_below(figure: go.Figure) -> tuple[str, ...]:
    """What the page writes under a figure readied by `for_screen`: the notes taken out of its
    corners (`corner_notes`) and the key to its numbered milestones (`milestone_keys`)."""
    keys = milestone_keys(figure)
    milestones = (f"Milestones (the numbered dotted lines and bands): {'; '.join(keys)}",) if keys else ()
    return (*corner_notes(figure), *milestones)


def wrap_panel_titles(figure: go.Figure) -> int:
    """Wrap each panel title written from the left edge to a phone's width; return the most
    lines a title takes (0 when the figure has none)."""
    most = 0
    for note in figure.layout.annotations:
        if is_panel_title(figure, note):
            # A centred title is wrapped to its panel's width: side by side they would collide.
            low, high = (_xaxis_of_note(figure, note).domain or (0, 1)) if note.xanchor != "left" else (0, 1)
            lines = label_lines(note.text, max(8, int(LABEL_CHARS * (high - low))))
            note.text = "<br>".join(lines)
            if note.xanchor == "left":
                note.align = "left"
            most = max(most, len(lines))
    return most


def right_axis_apart(figure: go.Figure) -> None:
    """Of two panels side by side, write the right one's y axis labels on its right, where they
    cannot run into the left one on a narrow screen."""
    x_domains = {tuple(axis.domain or (0, 1)) for axis in figure.select_xaxes()}
    y_domains = {tuple(axis.domain or (0, 1)) for axis in figure.select_yaxes()}
    if len(x_domains) < 2 or len(y_domains) > 1:
        return
    numeric = {trace.yaxis or "y" for trace in figure.data if trace.y is not None and len(trace.y)
               and not any(isinstance(y, str) for y in trace.y)}
    if len(x_domains) == 2 and len(numeric) == 2:
        right = max(numeric, key=lambda name: (_xaxis_of(figure, name).domain or (0, 1))[0])
        _yaxis(figure, right).update(side="right")
        figure.update_layout(margin={"r": max(figure.layout.margin.r or 0, 56)})


def _xaxis_of_note(figure: go.Figure, note):
    """The x axis whose panel a centred note stands over (the one whose domain holds its x)."""
    for axis in figure.select_xaxes():
        low, high = axis.domain or (0, 1)
        if low - 0.01 <= (note.x or 0) <= high + 0.01:
            return axis
    return figure.layout.xaxis


def _xaxis_of(figure: go.Figure, yaxis: str):
    """The x axis a y axis is drawn against (its `anchor`)."""
    anchor = _yaxis(figure, yaxis).anchor or "x"
    return figure.layout[anchor.replace("x", "xaxis", 1)]


def milestone_keys(figure: go.Figure) -> tuple[str, ...]:
    """Number the milestone labels written above the plot (at a date, on the paper's top) in
    date order, leaving only the number in the picture, and return the key to write under it:
    ('1: 14 Jul 2025: Hun Manet's crackdown directive', ...). Long labels side by side above a
    plot run into each other and off a phone's screen; a number beside a dotted line does not."""
    marks = sorted((note for note in figure.layout.annotations
                    if note.yref == "paper" and note.xref != "paper" and note.text),
                   key=lambda note: str(note.x))
    keys: dict[str, int] = {}
    numbered = []
    for note in marks:
        words = " ".join(html.unescape(MARKUP.sub(" ", note.text)).split())
        number = keys.setdefault(words, len(keys) + 1)
        note.update(text=f"<b>{number}</b>", yshift=2, xanchor="center")
        numbered.append((note, number))
    join_close_numbers(figure, numbered)
    return tuple(f"{number}: {words}" for words, number in keys.items())


def _day(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def join_close_numbers(figure: go.Figure, numbered: list) -> None:
    """Write the numbers of milestones too close to stand apart in their panel (within an
    eighth of the dates the panel draws, which a phone shows as a few pixels) as one label at the
    first ("3, 4"), the others left empty, so that no two numbers run into each other."""
    spans: dict[str, float] = {}
    for trace in figure.data:
        days = [d for d in (_day(x) for x in (getattr(trace, "x", None) or ())) if d]
        if days:
            axis = getattr(trace, "xaxis", None) or "x"
            first, last = min(days), max(days)
            low, high = spans.get(axis, (first, last))
            spans[axis] = (min(low, first), max(high, last))
    group: list = []
    for note, number in [*sorted(numbered, key=lambda pair: (str(pair[0].xref), str(pair[0].x))), (None, None)]:
        day = _day(note.x) if note is not None else None
        if group and note is not None and day and note.xref == group[0][0].xref and group[0][2]:
            low, high = spans.get(note.xref, (group[0][2], group[0][2]))
            if (day - group[0][2]).days <= max((high - low).days / 8, 1):
                group.append((note, number, day))
                continue
        if len(group) > 1:
            group[0][0].update(text="<b>" + ", ".join(dict.fromkeys(str(n) for _, n, _ in group)) + "</b>")
            for other, _, _ in group[1:]:
                other.update(text="")
        group = [(note, number, day)] if note is not None else []


IN_PLOT_CHARS = 30  # a line of words written in the plot (in a bar, beside a mark) that fits a phone


def wrap_in_plot(figure: go.Figure) -> None:
    """Wrap the long words a figure writes inside its plot (at data coordinates: in a bar,
    beside a mark) in lines a phone's plot can hold; inline markup (<b>) kept with its words."""
    for note in figure.layout.annotations:
        if (note.text and str(note.xref).startswith("x") and str(note.yref).startswith("y") and "<br>" not in note.text
                and len(MARKUP.sub("", note.text)) > IN_PLOT_CHARS):
            lines: list[str] = []
            for word in note.text.split(" "):
                if lines and len(MARKUP.sub("", lines[-1])) + 1 + len(MARKUP.sub("", word)) <= IN_PLOT_CHARS:
                    lines[-1] += " " + word
                else:
                    lines.append(word)
            note.text = "<br>".join(lines)
            note.font.size = min(note.font.size or 12, 11)  # two lines in the height of one bar


def for_screen(figure: go.Figure, figure_id: str | None = None) -> go.Figure:
    """Return a copy of a figure for a screen of any width: no title or footer inside the
    picture (shown as text around it), legend below the plot, colour bars flat under it,
    panel titles wrapped above their panels, long row labels above their rows."""
    shown = go.Figure(figure)
    if figure_id:  # the registry's footer: caption, source note and figure id
        shown.layout.annotations = [a for a in shown.layout.annotations
                                    if f"figure {figure_id} ·" not in (a.text or "")]
    margin = shown.layout.margin
    # At the foot of the picture, under the axis and its labels (the margin grows to hold it);
    # the picture grows with the legend, so a phone's narrow legend leaves the plot its height.
    entries = sum(1 for trace in shown.data if trace.showlegend is not False and trace.name)
    height = min(int(shown.layout.height or 560), 640) + (18 * entries if entries > 4 else 0)
    if shown.layout.yaxis.scaleanchor or shown.layout.xaxis.scaleanchor:
        height = 480  # a map keeps its shape: on a phone a taller frame is only white space
    # Room above the plot only for what a figure writes there: milestone numbers, panel titles.
    titles = wrap_panel_titles(shown)
    marks = [a.y for a in shown.layout.annotations if a.yref == "paper" and a.xref != "paper" and a.y is not None]
    milestones = bool(marks)
    for note in shown.layout.annotations:  # a panel's title above the milestone numbers over its panel
        if is_panel_title(shown, note) and any(abs(note.y - y) < 0.02 for y in marks):
            note.yshift = 18
    top = (18 if milestones else 0) + max(30, 16 + LINE * titles)
    stacked = stacked_plot_px(shown)
    if stacked:  # panels one above another keep their heights, and the gaps for ticks and titles between them
        height = max(height, top + stacked + 40 + (18 * entries if entries > 4 else 0))
    shown.update_layout(
        title_text="", width=None, height=height, autosize=True,
        margin={"t": top, "b": 40, "l": margin.l if margin.l is not None else 60,
                "r": min(margin.r if margin.r is not None else 40, 80)},
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yref": "container", "yanchor": "bottom",
                "font": {"size": 12}, "entrywidth": 0, "title": {"side": "top left"}},
    )
    flat = {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.06, "yanchor": "top", "len": 0.6,
            "thickness": 12, "title_side": "top"}
    for trace in shown.data:
        if getattr(trace, "showscale", None) is not False and hasattr(trace, "colorbar"):
            trace.colorbar.update(flat)
        marker = getattr(trace, "marker", None)
        if marker is not None and getattr(marker, "showscale", None):
            marker.colorbar.update(flat)
    if shown.layout.coloraxis.colorscale is not None:
        shown.layout.coloraxis.colorbar.update(flat)
    right_axis_apart(shown)
    wrap_in_plot(shown)
    long_labels = any(len(MARKUP.sub("", str(y))) > LONG_LABEL for trace in shown.data if trace.y is not None
                      for y in trace.y if isinstance(y, str))
    labels_above_rows(shown, wide_labels=(margin.l or 0) > 160 or long_labels)
    # Last, once the margins are set: what must stand apart at a phone's width.
    fit_heatmap_cells(shown)
    fit_map_labels(shown)
    fit_date_ticks(shown)
    clear_end_labels(shown)
    return shown


def stacked_plot_px(figure: go.Figure) -> int | None:
    """The height of the plot the figure drew, when its panels are stacked one above another
    (y axes over different heights, every x axis full width); else None."""
    heights = {tuple(axis.domain or (0, 1)) for axis in figure.select_yaxes()}
    widths = {tuple(axis.domain or (0, 1)) for axis in figure.select_xaxes()}
    if len(heights) < 2 or widths != {(0, 1)}:
        return None
    margin = figure.layout.margin
    return int(figure.layout.height or 560) - (margin.t or 0) - (margin.b or 0)


def labels_above_rows(figure: go.Figure, wide_labels: bool) -> None:
    """Put the long category labels of a horizontal bar or dot chart above their row, wrapped,
    across the full width of its panel, instead of in a left margin that leaves a phone no
    room to plot. Each label goes to the panel (y axis) its row is drawn in."""
    rows = [trace for trace in figure.data if trace.type in ("bar", "scatter") and trace.y is not None
            and (trace.type == "scatter" or trace.orientation == "h")]
    panels: dict[tuple[str, str], dict[str, None]] = {}  # (x axis, y axis): its categories, in order
    for trace in rows:
        panels.setdefault((trace.xaxis or "x", trace.yaxis or "y"), {}).update(
            dict.fromkeys(y for y in trace.y if y is not None))
    categories = [c for found in panels.values() for c in found]
    if not (wide_labels and categories and all(isinstance(c, str) for c in categories)):
        return
    bars = any(trace.type == "bar" for trace in rows)
    mark = 22 if bars else 12  # a bar's thickness, a dot's size (pixels)
    lines = {category: label_lines(category) for category in categories}
    row = mark + 8 + LINE * max(len(words) for words in lines.values())
    # Half a row more at each panel's top: room for its first row's label under the panel's title.
    for (_, yaxis), found in panels.items():
        axis = _yaxis(figure, yaxis)
        low, high = -0.5, len(found) - 0.5
        axis.range = [high + 0.5, low] if axis.autorange == "reversed" else [low, high + 0.5]
        axis.autorange = False
    plot = stack_panels(figure, {yaxis: len(found) + 0.5 for (_, yaxis), found in panels.items()}, row)
    written = any("text" in (trace.mode or "") for trace in rows if trace.type == "scatter")
    figure.update_yaxes(showticklabels=False, ticks="", automargin=False)
    entries = sum(1 for trace in figure.data if trace.showlegend is not False and trace.name)
    # Room on the right for the words written beside a bar ('total 65 · female: 8'), up to a limit.
    beside = max([len(MARKUP.sub("", str(text))) for trace in rows if trace.type == "bar" and trace.text is not None
                  and trace.textposition == "outside" for text in trace.text] or [0])
    right = max(72 if written else 56 if bars else 16, min(180, 7 * beside))
    figure.update_layout(margin={"l": 8, "r": right},
                         # and room for the legend as a phone stacks it, one entry a line, so it takes no rows' room
                         height=int(figure.layout.margin.t + 90 + plot + (20 * (entries + 1) if entries > 1 else 0)),
                         bargap=1 - mark / row if bars else None)
    for (xaxis, yaxis), found in panels.items():
        for category in found:
            figure.add_annotation(text="<br>".join(lines[category]), x=0, xref=f"{xaxis} domain", xanchor="left",
                                  y=category, yref=yaxis, yanchor="bottom", yshift=mark // 2 + 2, showarrow=False,
                                  align="left", font={"size": 12 if bars else 11})


def stack_panels(figure: go.Figure, rows: dict[str, float], row: int) -> int:
    """Give each panel stacked in the figure (by y axis: 'y', 'y2') a height of `row` pixels per
    category, in the figure's order from the top, `PANEL_GAP` between them, its title moved
    with it; return the height of the plot. Panels side by side (one domain) keep theirs:
    the longest sets the height."""
    axes = {yaxis: _yaxis(figure, yaxis) for yaxis in rows}
    domains = {yaxis: tuple(axis.domain or (0, 1)) for yaxis, axis in axes.items()}
    if len(set(domains.values())) < len(rows):
        return int(row * max(rows.values()))
    plot = int(row * sum(rows.values()) + PANEL_GAP * (len(rows) - 1))
    titles = {yaxis: [note for note in figure.layout.annotations if is_panel_title(figure, note)
                      and abs(note.y - domains[yaxis][1]) < 0.02] for yaxis in rows}
    top = plot
    for yaxis in sorted(rows, key=lambda y: -domains[y][1]):
        height = row * rows[yaxis]
        axes[yaxis].domain = (max(0, (top - height) / plot), top / plot)
        for note in titles[yaxis]:
            note.y = top / plot
        top -= height + PANEL_GAP
    return plot
