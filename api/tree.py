"""The structure of a street or community drawn as a person reads an org chart: a collapsible
tree of its places — street, communities, grids and estates, buildings — with the party orgs
that cover each place beside it, the gaps marked on each place and counted on every branch
(so that a closed branch still says what it holds), the first levels open, and a search box
that opens the branches down to what it finds.

A page of text, not a drawing: it reads at any zoom, it prints, it is searched with the
browser's own find as well, and it stays small for a street of two thousand places. Like the
network views it fetches nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jinja2 import Environment, PackageLoader, select_autoescape

from orgnet.graph.model import NODES, Label
from orgnet.queries.networks import Network, ViewNode

from .labels import word
from .render import printable
from .views import GAPS, View, _colour, _script_json, _words
from .words import say

# The order of places under one parent: grids before estates (the grid holds the estates'
# buildings in the articles' five levels), then by id.
_ORDER = {label: rank for rank, label in enumerate(
    ("District", "Street", "Community", "Grid", "Estate", "Building")
)}  # fmt: skip
OPEN_DEPTH = 2  # the scope and its first level open; deeper branches closed


@dataclass
class Org:
    id: str
    name: str
    type: str
    secretaries: str
    gaps: list[tuple[str, str]]  # (words, colour)


@dataclass
class Place:
    id: str
    name: str
    kind: str  # the label in words
    colour: str
    households: str
    gaps: list[tuple[str, str]]
    orgs: list[Org]
    children: list[Place] = field(default_factory=list)
    depth: int = 0
    gaps_below: int = 0  # gaps of the places and orgs under it (itself excluded)

    @property
    def open(self) -> bool:
        return self.depth < OPEN_DEPTH


def _gaps(node: ViewNode, lang: str) -> list[tuple[str, str]]:
    return [(_words("gaps", g, lang), GAPS[g]) for g in node.gaps]


def _kind(label: str, lang: str) -> str:
    if lang == "zh" and label in Label._value2member_map_:
        return NODES[Label(label)].zh
    return label.lower()


def _org(node: ViewNode, lang: str) -> Org:
    secretaries = node.details.get("secretaries") or []
    shown = (
        "、".join(printable(str(s)) for s in secretaries) if isinstance(secretaries, list) else ""
    )
    return Org(
        node.id,
        printable(node.name or node.id),
        word("type", str(node.details.get("type") or ""), lang),
        shown,
        _gaps(node, lang),
    )


def tree(network: Network, lang: str) -> list[Place]:
    """The places of a structure network as trees (usually one, rooted at the scope)."""
    nodes = {n.id: n for n in network.nodes}
    parent = {e.source: e.target for e in network.edges if e.type == "PART_OF"}
    covers: dict[str, list[str]] = {}
    for e in network.edges:
        if e.type == "COVERS" and e.target in nodes:
            covers.setdefault(e.target, []).append(e.source)
    covering = {org for orgs in covers.values() for org in orgs}
    places = {
        n.id: Place(
            n.id,
            printable(n.name or n.id),
            _kind(n.label, lang),
            _colour(n.label),
            f"{int(n.size):,}" if n.size else "",
            _gaps(n, lang),
            [_org(nodes[o], lang) for o in sorted(covers.get(n.id, ())) if o in nodes],
        )
        for n in network.nodes
        if n.label != "PartyOrg"
    }
    roots: list[Place] = []
    for id, place in sorted(places.items(), key=lambda i: (_ORDER.get(nodes[i[0]].label, 9), i[0])):
        up = parent.get(id)
        (places[up].children if up in places else roots).append(place)
    # Orgs that cover nothing drawn here (the street's working committee above a community
    # view, an org whose places lie elsewhere) stand with the root.
    loose = [_org(n, lang) for n in network.nodes if n.label == "PartyOrg" and n.id not in covering]
    if roots and loose:
        roots[0].orgs += loose

    def settle(place: Place, depth: int) -> int:
        place.depth = depth
        below = sum(settle(child, depth + 1) for child in place.children)
        below += sum(len(child.gaps) + sum(len(o.gaps) for o in child.orgs)
                     for child in place.children)  # fmt: skip
        place.gaps_below = below
        return below

    for root in roots:
        settle(root, 0)
    return roots


def draw_tree(network: Network, *, lang: str = "zh") -> View:
    """A structure network as one self-contained page of a collapsible tree."""
    roots = tree(network, lang)
    env = Environment(
        loader=PackageLoader("orgnet.api", "templates"), autoescape=select_autoescape(["j2"])
    )
    where = printable(network.title) or say("cli.all", lang)
    used = list(dict.fromkeys(n.label for n in network.nodes))
    gaps = list(dict.fromkeys(g for n in network.nodes for g in n.gaps))
    counts = {g: sum(g in n.gaps for n in network.nodes) for g in gaps}
    html = env.get_template("tree.html.j2").render(
        lang=lang,
        title=f"{_words('views', network.kind, lang)} — {where}",
        meta=say(
            "view.tree_meta",
            lang,
            as_of=network.as_of,
            places=f"{sum(n.label != 'PartyOrg' for n in network.nodes):,}",
            orgs=f"{sum(n.label == 'PartyOrg' for n in network.nodes):,}",
        ),
        w=lambda key, **params: say(key, lang, **params),
        legend=[(_kind(label, lang), _colour(label)) for label in used],
        found_words=_script_json(say("view.found", lang, count="{count}")),
        nodes=len(network.nodes),
        edges=len(network.edges),
        gap_legend=[(_words("gaps", g, lang), GAPS[g], counts[g]) for g in gaps],
        roots=roots,
    )
    return View(html, len(network.nodes), len(network.edges))
