"""Charts of the answers, as SVG (for the HTML report, one file) or PNG (from Python):

* ``coverage`` — organization and work coverage by street or community, sorted, with a target
  line;
* ``lorenz`` — the Lorenz curve of paired units per 10,000 households over communities, with
  the Gini;
* ``census`` — party organizations by type and level;
* ``secretaries`` — secretaries by category;
* ``trend`` — organization and work coverage at the end of each period, with the party
  members beside them.

Chinese by default (``lang="en"`` for English). SVG keeps its text as text, drawn by the
browser; PNG draws it with a CJK font found on the machine (Debian: ``fonts-noto-cjk``, which
``make test`` installs) and says so when there is none.
"""

from __future__ import annotations

import io
import re
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from orgnet.graph.errors import BadRequest
from orgnet.queries.coverage import Census
from orgnet.queries.pairing import PairingBalance
from orgnet.queries.report import AreaCoverage
from orgnet.queries.trend import Trend

from .labels import word
from .words import say

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Zen Hei",
             "Microsoft YaHei", "PingFang SC")  # fmt: skip
ORG_COLOUR, WORK_COLOUR, TARGET_COLOUR = "#d7263d", "#f2b134", "#3d405b"


# The goal the coverage bars are held to: every estate that should have party organization has
# it (应建尽建), as the seed articles set 100% coverage goals.
COVERAGE_TARGET = 1.0


def _pyplot() -> Any:
    # No backend is forced: a notebook keeps its inline one, a server without a display gets
    # matplotlib's non-interactive default.
    import matplotlib.pyplot as plt

    plt.rcParams["font.family"] = ["sans-serif"]
    plt.rcParams["font.sans-serif"] = [*CJK_FONTS, "DejaVu Sans"]
    plt.rcParams["svg.fonttype"] = "none"  # text stays text in an SVG
    plt.rcParams["axes.spines.top"] = plt.rcParams["axes.spines.right"] = False
    if cjk_font() is None:
        # Without a CJK font matplotlib warns of every Chinese glyph it cannot measure (two
        # hundred lines for a report); the front door says once what to install instead
        # (charts.no_font), and an SVG's text is drawn by the browser's fonts anyway.
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from", category=UserWarning)
    return plt


def _shown_once(fig: Any) -> Any:
    """A figure released by pyplot: a notebook shows it once, as the value a cell returns,
    not a second time as a figure pyplot still holds open."""
    import matplotlib.pyplot as plt

    plt.close(fig)
    return fig


def cjk_font() -> str | None:
    """The CJK font charts draw Chinese with, or None when the machine has none."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in names), None)


def coverage(
    areas: list[AreaCoverage],
    *,
    lang: str = "zh",
    target: float | None = COVERAGE_TARGET,
    by: str = "street",
) -> Any:
    """Horizontal bars of organization and work coverage per area, lowest first, with the
    target as a line (a figure)."""
    from matplotlib.ticker import PercentFormatter

    plt = _pyplot()
    # An area without estates has no rate to draw.
    rows = sorted(
        (a for a in areas if a.org_rate is not None and a.work_rate is not None),
        key=lambda a: (a.org_rate or 0, a.work_rate or 0, a.street_id or ""),
    )
    names = [(a.community if by == "community" else a.street) or "" for a in rows]
    height = max(2.2, 0.32 * len(rows) + 1.2)
    fig, ax = plt.subplots(figsize=(7.5, height))
    positions = range(len(rows))
    ax.barh([p + 0.2 for p in positions], [a.work_rate for a in rows], height=0.4,
            color=WORK_COLOUR, label=say("charts.work", lang))  # fmt: skip
    ax.barh([p - 0.2 for p in positions], [a.org_rate for a in rows], height=0.4,
            color=ORG_COLOUR, label=say("charts.org", lang))  # fmt: skip
    if target is not None:
        ax.axvline(target, color=TARGET_COLOUR, linestyle="--", linewidth=1.2,
                   label=say("charts.target", lang, target=f"{target:.0%}"))  # fmt: skip
    ax.set_yticks(list(positions), names)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    title = "charts.by_street" if by == "street" else "charts.by_community"
    ax.set_title(say(title, lang), loc="left")
    ax.invert_yaxis()  # the lowest first, at the top
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1 - 0.2 / height), ncols=3,
              fontsize=8, frameon=False)  # fmt: skip
    fig.tight_layout()
    return _shown_once(fig)


def lorenz(balance: PairingBalance, *, lang: str = "zh") -> Any:
    """The Lorenz curve of paired units per 10,000 households over the scope's communities
    (those with households), beside the line of perfect equality, with the Gini."""
    plt = _pyplot()
    rates = sorted(c.units_per_10k for c in balance.communities if c.units_per_10k is not None)
    total = sum(rates)
    xs, ys, running = [0.0], [0.0], 0.0
    for i, rate in enumerate(rates, start=1):
        running += rate
        xs.append(i / len(rates))
        ys.append(running / total if total else 0.0)
    fig, ax = plt.subplots(figsize=(5.2, 5.0))
    ax.plot([0, 1], [0, 1], color="#999999", linestyle="--", linewidth=1,
            label=say("charts.equality", lang))  # fmt: skip
    ax.plot(xs, ys, color=ORG_COLOUR, linewidth=2, label=say("charts.lorenz", lang))
    ax.fill_between(xs, ys, xs, color=ORG_COLOUR, alpha=0.12)
    gini = balance.units.gini
    shown = "—" if gini is None else f"{gini:.3f}"
    ax.set_title(say("charts.lorenz_title", lang, gini=shown),
                 loc="left")  # fmt: skip
    ax.set_xlabel(say("charts.lorenz_x", lang))  # fmt: skip
    ax.set_ylabel(say("charts.lorenz_y", lang))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    fig.tight_layout()
    return _shown_once(fig)


def census(found: Census, *, lang: str = "zh") -> Any:
    """Party organizations by type, stacked by level."""
    plt = _pyplot()
    types = sorted({r.type for r in found.orgs})
    levels = sorted({r.level for r in found.orgs})
    counts = {(r.type, r.level): r.orgs for r in found.orgs}
    fig, ax = plt.subplots(figsize=(7.0, 3.6))
    bottom = [0] * len(types)
    palette = ["#3f8fd2", "#2bb3c0", "#7cc57a", "#f2b134", "#c9b79c", "#d7263d", "#8e6fb5"]
    for i, level in enumerate(levels):
        heights = [counts.get((t, level), 0) for t in types]
        ax.bar([word("type", t, lang) for t in types], heights, bottom=bottom,
               color=palette[i % len(palette)], label=word("level", level, lang))  # fmt: skip
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_title(say("charts.census", lang),
                 loc="left")  # fmt: skip
    ax.legend(fontsize=8, frameon=False, ncols=2)
    fig.tight_layout()
    return _shown_once(fig)


def secretaries(found: Census, *, lang: str = "zh") -> Any:
    """Secretaries by category."""
    plt = _pyplot()
    rows = sorted(found.secretaries, key=lambda r: -r.secretaries)
    fig, ax = plt.subplots(figsize=(6.0, 3.2))
    names = [word("category", r.category, lang) if r.category else say("charts.unknown", lang)
             for r in rows]  # fmt: skip
    ax.bar(names, [r.secretaries for r in rows], color="#8e6fb5")
    ax.set_title(say("charts.secretaries", lang), loc="left")
    fig.tight_layout()
    return _shown_once(fig)


def trend(found: Trend, *, lang: str = "zh") -> Any:
    """Organization and work coverage at the end of each period (lines, left axis), the party
    members beside them (bars, right axis): how far the scope has come."""
    from matplotlib.ticker import PercentFormatter

    plt = _pyplot()
    points = found.points
    days = [p.day for p in points]
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    members = ax.twinx()
    members.bar(days, [p.members for p in points], color="#c9d6e8", width=0.6,
                label=say("charts.members", lang))  # fmt: skip
    members.set_ylabel(say("charts.members", lang))
    members.spines["top"].set_visible(False)
    ax.set_zorder(members.get_zorder() + 1)  # the lines over the bars
    ax.patch.set_visible(False)
    ax.plot(days, [p.org_rate for p in points], color=ORG_COLOUR, marker="o", linewidth=2,
            label=say("charts.org", lang))  # fmt: skip
    ax.plot(days, [p.work_rate for p in points], color=WORK_COLOUR, marker="o", linewidth=2,
            label=say("charts.work", lang))  # fmt: skip
    ax.set_ylim(0, 1.05)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    step = max(1, len(days) // 8)  # at most eight days named along the axis
    ax.set_xticks(range(0, len(days), step), [days[i] for i in range(0, len(days), step)],
                  rotation=30, ha="right", fontsize=8)  # fmt: skip
    ax.set_title(say("charts.trend", lang, since=found.since, until=found.until), loc="left")
    handles = ax.get_legend_handles_labels()
    bars = members.get_legend_handles_labels()
    ax.legend(handles[0] + bars[0], handles[1] + bars[1], loc="lower right", fontsize=8,
              frameon=False)  # fmt: skip
    fig.tight_layout()
    return _shown_once(fig)


def svg(fig: Any) -> str:
    """A figure as SVG markup to sit in a page (no XML prologue)."""
    plt = _pyplot()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buffer.getvalue()
    # Without its prologue and the metadata block matplotlib writes (creator, date).
    return re.sub(r"\s*<metadata>.*?</metadata>", "", text[text.index("<svg") :], flags=re.S)


# The charts drawn last, as SVG, by what they were drawn from (`drawn_svg`).
_DRAWN: OrderedDict[str, str] = OrderedDict()
_DRAWN_MOST = 64
_DRAWN_LOCK = threading.Lock()


def drawn_svg(draw: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
    """``svg(draw(*args, **kwargs))``, drawn once for the same chart of the same figures: a
    page asked again — the console's home page, each time a clerk comes back to it — sends the
    chart it sent before instead of having matplotlib draw it again (0.1–0.4 s a chart). The
    figures are told apart by their whole ``repr`` (frozen dataclasses, every field in it);
    the last 64 charts are kept."""
    key = repr((draw.__module__, draw.__qualname__, args, sorted(kwargs.items())))
    with _DRAWN_LOCK:
        if key in _DRAWN:
            _DRAWN.move_to_end(key)
            return _DRAWN[key]
    text = svg(draw(*args, **kwargs))
    with _DRAWN_LOCK:
        _DRAWN[key] = text
        while len(_DRAWN) > _DRAWN_MOST:
            _DRAWN.popitem(last=False)
    return text


def png(fig: Any, *, dpi: int = 150) -> bytes:
    """A figure as PNG; its Chinese needs a CJK font on this machine."""
    plt = _pyplot()
    if cjk_font() is None:
        plt.close(fig)
        raise BadRequest(
            "no CJK font on this machine to draw Chinese with; install one "
            "(Debian: apt-get install fonts-noto-cjk) or ask for SVG"
        )
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()
