"""Network views: a network of queries/networks.py drawn as one self-contained HTML page.

pyvis builds the nodes, edges and options of vis-network, and carries vis-network itself; the
page is written from our own template with vis-network's script and style inlined, because
pyvis's template fetches stylesheets from CDNs even in its inline mode — a page here fetches
nothing (the machines that open it are often offline). Colours by label with a legend, sizes by
households or degree, Chinese words by default, a tooltip per node; the gaps the questions
find ring a node in red or orange.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from orgnet.graph.model import NODES, RELATIONSHIPS, Label, Rel
from orgnet.queries.networks import Network, ViewNode

from .labels import column, word
from .render import printable
from .words import catalogue, say

_ASSETS = None  # (js, css) of vis-network, read once

# label → colour (the words for a label and a relationship are the model's, graph/model.py)
COLOURS: dict[str, str] = {
    "District": "#5b6abf",
    "Street": "#3f8fd2",
    "Community": "#2bb3c0",
    "Grid": "#7cc57a",
    "Estate": "#f2b134",
    "Building": "#c9b79c",
    "PartyOrg": "#d7263d",
    "Person": "#8e6fb5",
    "Unit": "#5c946e",
    "PropertyFirm": "#e07a5f",
    "OwnersCommittee": "#3d405b",
}
# gap → the colour of its ring; its words are the catalogue's (gaps.KEY). Magenta and a dark
# amber: no label is drawn in either, so a ring reads as a gap, never as a kind of node.
SEVERE, LESSER = "#ff00c8", "#b35900"
GAPS: dict[str, str] = {
    "actionable": SEVERE,
    "no_group": LESSER,
    "no_branch": LESSER,
    "vacant": SEVERE,
    "unpaired": SEVERE,
    "idle": LESSER,
    "broken": SEVERE,
}


# The least zoom a view opens at: its 18 px labels then read at 13 px or more.
LEAST_SCALE = 0.75


@dataclass(frozen=True)
class View:
    """A drawn network: its page, and what it holds. In a notebook it shows itself."""

    html: str
    nodes: int
    edges: int

    def save(self, path: Path) -> Path:
        path.write_text(self.html, encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        # A notebook shows the page in a frame of its own (its script needs its own document).
        escaped = self.html.replace("&", "&amp;").replace('"', "&quot;")
        return f'<iframe srcdoc="{escaped}" style="width:100%;height:640px;border:0"></iframe>'


def _assets() -> tuple[str, str]:
    global _ASSETS
    if _ASSETS is None:
        import pyvis

        lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
        _ASSETS = (
            (lib / "vis-network.min.js").read_text(encoding="utf-8"),
            (lib / "vis-network.css").read_text(encoding="utf-8"),
        )
    return _ASSETS


def _label_words(label: str, lang: str) -> str:
    node = NODES.get(Label(label)) if label in Label.__members__.values() else None
    if lang == "zh" and node is not None:
        return node.zh
    return re.sub(r"(?<!^)(?=[A-Z])", " ", label).lower()


def edge_words(rel: str, lang: str) -> str:
    known = RELATIONSHIPS.get(Rel(rel)) if rel in Rel.__members__.values() else None
    if lang == "zh" and known is not None:
        return known.zh
    return rel.lower().replace("_", " ")


def _words(table: str, key: str, lang: str) -> str:
    """``key`` in the words of a catalogue table (gaps, views)."""
    return catalogue(lang).get(f"{table}.{key}", key)


def _tooltip(node: ViewNode, lang: str) -> str:
    """Plain text (vis-network shows a string title as text, never as HTML)."""
    lines = [f"{printable(node.name or '')} ({node.id})", _label_words(node.label, lang)]
    for key, value in node.details.items():
        if value in (None, [], ""):
            continue
        shown = (
            "、".join(map(str, value)) if isinstance(value, list) else word(key, str(value), lang)
        )
        lines.append(f"{column(key, lang)}: {printable(shown)}")
    lines += [_words("gaps", gap, lang) for gap in node.gaps]
    return "\n".join(lines)


def _size(node: ViewNode, largest: float) -> float:
    if not node.size or largest <= 0:
        return 12.0
    return 12.0 + 28.0 * (node.size / largest) ** 0.5


def _script_json(value: Any) -> str:
    """JSON to sit inside a <script>: no '<', '>' or '&' at all, so that a name holding
    '</script>' or '<!--' cannot end the script or change how it is read."""
    return (
        json.dumps(value, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _radial(network: Network) -> dict[str, tuple[float, float]]:
    """A hierarchy laid out as rings around its root: each place on the ring of its depth
    (street, communities, estates and grids, buildings), within the angle its subtree's
    leaves earn; each party org just outside the first place it covers (or beside the org it
    reports to). Computed here, so the browser runs no physics however large the view."""
    parent = {e.source: e.target for e in network.edges if e.type == "PART_OF"}
    children: dict[str, list[str]] = {}
    for child, up in sorted(parent.items()):
        children.setdefault(up, []).append(child)
    places = [n.id for n in network.nodes if n.label != "PartyOrg"]
    roots = [p for p in places if p not in parent] or places[:1]
    leaves: dict[str, int] = {}

    def count(node: str) -> int:
        leaves[node] = sum(count(c) for c in children.get(node, [])) or 1
        return leaves[node]

    total = sum(count(r) for r in roots) or 1
    depth_of: dict[str, int] = {}
    angle_of: dict[str, float] = {}

    def place(node: str, depth: int, start: float, span: float) -> None:
        depth_of[node], angle_of[node] = depth, start + span / 2
        at = start
        for child in children.get(node, []):
            share = span * leaves[child] / leaves[node]
            place(child, depth + 1, at, share)
            at += share

    at = 0.0
    for root in roots:
        share = 2 * math.pi * leaves[root] / total
        place(root, 0, at, share)
        at += share
    deepest = max(depth_of.values(), default=1) or 1
    ring = max(240.0, total * 22.0 / (2 * math.pi * deepest))
    spot = {
        n: (math.cos(angle_of[n]) * depth_of[n] * ring, math.sin(angle_of[n]) * depth_of[n] * ring)
        for n in depth_of
    }
    covers: dict[str, str] = {}
    for e in network.edges:
        if e.type == "COVERS" and e.target in spot:
            covers.setdefault(e.source, e.target)
    reports = {e.source: e.target for e in network.edges if e.type == "REPORTS_TO"}
    orgs = [n.id for n in network.nodes if n.label == "PartyOrg"]
    for org in sorted(orgs, key=lambda o: (o not in covers, o)):
        if org in covers:
            target = covers[org]
            a, r = angle_of[target], depth_of[target] * ring + ring * 0.45
        elif reports.get(org) in spot:
            x, y = spot[reports[org]]
            a, r = math.atan2(y, x) + 0.05, math.hypot(x, y) + ring * 0.3
        else:
            a, r = 2 * math.pi * (len(spot) % 97) / 97, ring * 0.5
        spot[org] = (math.cos(a) * r, math.sin(a) * r)
    return spot


def draw(network: Network, *, lang: str = "zh", hierarchy: bool = False) -> View:
    """The network as a self-contained page (``hierarchy``: places on rings around the scope,
    orgs beside what they cover, no physics)."""
    from pyvis.network import Network as PyvisNetwork

    canvas = PyvisNetwork(directed=True, cdn_resources="in_line")
    positions = _radial(network) if hierarchy else {}
    largest: dict[str, float] = {}
    for node in network.nodes:
        largest[node.label] = max(largest.get(node.label, 0.0), node.size or 0.0)
    for node in network.nodes:
        colour = _colour(node.label)
        ring = GAPS[node.gaps[0]] if node.gaps else colour
        options: dict[str, Any] = {
            "color": {
                "background": colour,
                "border": ring,
                "highlight": {"background": colour, "border": "#000000"},
                "hover": {"background": colour, "border": "#000000"},
            },
            "borderWidth": 5 if node.gaps else 1,
            "title": _tooltip(node, lang),
            "size": _size(node, largest[node.label]),
        }
        if node.id in positions:
            options["x"], options["y"] = positions[node.id]
        if node.details.get("end"):
            options["shape"] = "star"
        canvas.add_node(node.id, label=printable(node.name or node.id), **options)
    for edge in network.edges:
        canvas.add_edge(
            edge.source,
            edge.target,
            title=edge_words(edge.type, lang),
            label=edge_words(edge.type, lang) if network.kind == "path" else None,
            dashes=edge.type in ("PART_OF", "IN_GRID"),
        )
    options = {
        "layout": {"improvedLayout": not hierarchy and len(network.nodes) <= 300},
        # Force-directed views settle before they first draw; Barnes–Hut with 120 rounds keeps
        # that to about a second for 500 nodes on a slow machine (forceAtlas2, 300: five).
        # Short springs keep the network compact, so that the first view (fitted to the page)
        # is not zoomed out so far that the labels cannot be read.
        "physics": {
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -2500,
                "springLength": 60,
                "springConstant": 0.06,
                "avoidOverlap": 0.3,
            },
            "stabilization": {"iterations": 120},
        }
        if not hierarchy
        else {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 120},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {"size": 11},
            "smooth": not hierarchy,
        },
        # Labels at 18 px, drawn down to a zoom that leaves them about 7 px, never larger than
        # 22 px however close one zooms.
        "nodes": {
            "shape": "dot",
            "font": {"size": 18, "strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {
                "label": {
                    "enabled": True,
                    "min": 18,
                    "max": 18,
                    "maxVisible": 22,
                    "drawThreshold": 5,
                }
            },
        },
    }
    nodes, edges = canvas.get_nodes(), canvas.get_edges()
    used = list(dict.fromkeys(n.label for n in network.nodes))
    gaps = list(dict.fromkeys(g for n in network.nodes for g in n.gaps))
    js, css = _assets()
    env = Environment(
        loader=PackageLoader("orgnet.api", "templates"), autoescape=select_autoescape(["j2"])
    )
    where = printable(network.title) or say("cli.all", lang)
    title = f"{_words('views', network.kind, lang)} — {where}"
    meta = say("view.meta", lang, as_of=network.as_of, nodes=f"{len(nodes):,}",
               edges=f"{len(edges):,}")  # fmt: skip
    html = env.get_template("network.html.j2").render(
        lang=lang,
        title=title,
        meta=meta,
        vis_js=_Markup(js),
        vis_css=_Markup(css),
        legend=[(_label_words(label, lang), _colour(label)) for label in used],
        gap_legend=[(_words("gaps", g, lang), GAPS[g]) for g in gaps],
        nodes=_script_json([_node_data(n) for n in canvas.nodes]),
        edges=_script_json([_node_data(e) for e in canvas.edges]),
        options=_script_json(options),
        least_scale=LEAST_SCALE,
        fixed="true" if hierarchy else "",
        navigate=say("view.navigate", lang),
    )
    return View(html, len(nodes), len(edges))


def _colour(label: str) -> str:
    return COLOURS.get(label, "#999999")


def _node_data(node: dict) -> dict:
    return {k: v for k, v in node.items() if v is not None}


def _Markup(text: str) -> Any:
    from markupsafe import Markup

    return Markup(text)
