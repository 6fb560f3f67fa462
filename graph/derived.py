"""The derived relationships and properties of the model (``DERIVED``, ``DERIVED_PROPERTIES``),
worked out from the imported ones.

SERVES ties each party organization to the districts, streets and communities whose scope it
counts in, so that a question finds a scope's orgs in one hop instead of walking down to every
covered place and back up every REPORTS_TO chain. An org's member steps (``member_days`` …)
are the days on which its count of party members changes, so that a question at any day reads
one short list per org instead of every membership, and its size steps (``size_days`` …) the
days on which its members and subtree members as the size rules count them change, so that they
read one short list per org instead of walking its subtree; an estate's unattached steps
(``unattached_days`` …) the days on which the count of its residents who are party members of
no existing org changes, and a community's, street's or district's the sum of its estates'; a
building's resident steps (``resident_days`` …) the days on which the count of the party members
living there changes; an owners' committee's seat steps (``seat_days`` …) the days on which its
count of members, and of party members among them, changes; an org's secretary steps
(``secretary_days`` …) the days on which its count of current secretary posts changes, and its
span of vacancy (``vacancy_since``, ``vacancy_until``) the days it may have none, so that the
vacancies judge only the orgs that may be vacant, by one short list each; a party member who
lives in no estate is marked (``outside_estates``), so that the unscoped census finds the few
such through an index instead of walking every member; an in-service member's or reporter's
home community (``home_community``), so that the pairing lists find a scope's through an index
instead of walking its residents; a community's report steps (``report_days`` …) the days on
which its count of in-service members reported to it changes; an estate's triad steps
(``triad_days``, ``triad_states``) the days on which it gains or loses a triad of party org,
owners' committee and property firm, or a person linking them, so that the cross question reads
one short list per estate instead of its parties and their posts. POSTED_IN ties a person
holding two posts or more (marked ``many_posts``) to each district, street and community one of
their posts lies in, so that the cross-appointments of a scope start from its few such persons
instead of every post on its organizations and places; an org that may have a term is marked
(``termed``), so that the terms read only those through an index instead of every group. The
loader refreshes them after every load (and an undo after it takes one back); a refresh is
idempotent, so a load interrupted before it is made whole by loading again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from .connection import Database, WriteCounts
from .model import Rel
from .schema import ensure_schema
from .writes import statement

# What the derived links and properties are, by number: raised whenever one is added (the
# buildings' resident steps made it 2) or the rule of one changes. Every load and undo records
# the number it left the graph at; one that finds an older number, or none, on a graph that
# holds anything works every derived link and property out afresh (graph.provenance). The orgs'
# spans of broken hierarchy rules made it 3, the mark of party members living in no estate 4,
# the orgs' secretary steps and spans of vacancy 5, their size steps 6, the home communities
# of the in-service members and reporters 7, the communities' report steps 8, the mark of the
# orgs with size steps 9, the estates' triad steps 10, the mark of many posts and the POSTED_IN
# links 11, the mark of the orgs that may have a term 12.
VERSION = 12
BATCH = 2_000  # orgs per write transaction
WRITERS = 2  # transactions at once
SHARED = 16  # ids a batch at the least, when fewer than a batch a writer are shared out


@dataclass
class Touched:
    """What a load wrote that can change which scopes an org serves: the sources of the
    REPORTS_TO, COVERS, BASED_IN, BELONGS_TO, HAD_FORM, MANAGES, LOCATED_IN and PART_OF links it
    wrote, and the orgs whose founding or dissolution it wrote (an org above another dates the
    other's links).
    Past ``limit`` ids it stops keeping them and asks for every org to be refreshed (cheaper
    than finding which)."""

    limit: int = 50_000
    orgs: set[str] = field(default_factory=set)
    hosts: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    everything: bool = False
    # For the member and unattached steps: the people whose membership, home or party standing
    # it wrote, the orgs of the memberships it wrote or let go of, and the buildings of the
    # homes it wrote or let go of; past ``limit``, every org's and estate's.
    people: set[str] = field(default_factory=set)
    member_orgs: set[str] = field(default_factory=set)
    buildings: set[str] = field(default_factory=set)
    # For the unattached steps of the regions: the parents of the PART_OF links it wrote or
    # took back (those it let go of are in its versions).
    parents: set[str] = field(default_factory=set)
    all_members: bool = False
    # For the seat steps of the owners' committees: the organizations it wrote posts on or
    # took them back from (those it let go of are in its versions); past ``limit``, every one.
    seats: set[str] = field(default_factory=set)
    all_seats: bool = False
    # For the report steps of the communities: those the REPORTED_TO links it wrote or took back
    # name (those it let go of are in its versions); past ``limit``, with the people, every one.
    reported: set[str] = field(default_factory=set)
    # For the size steps: the parents the REPORTS_TO links it wrote or took back name (those it
    # let go of are in its versions).
    uppers: set[str] = field(default_factory=set)
    # For the triad steps of the estates: the estates and owners' committees whose rows it
    # wrote, and the committees of the REPRESENTS links it wrote (their estates).
    triads: set[str] = field(default_factory=set)
    # For the mark of many posts and the POSTED_IN links: the persons whose posts it wrote or
    # took back (those it let go of are in its versions).
    holders: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.all_members = self.all_members or self.everything

    def add(self, kind: set[str], id: str) -> None:
        if self.everything:
            return
        kind.add(id)
        kept = len(self.orgs) + len(self.hosts) + len(self.places) + len(self.uppers)
        if kept + len(self.triads) > self.limit:
            self.everything = True
            self.orgs, self.hosts, self.places, self.uppers = set(), set(), set(), set()
            self.triads = set()

    def link(self, rel: Rel, source: str) -> None:
        """Note a relationship the load wrote, by its type and its source's id."""
        if rel in (Rel.REPORTS_TO, Rel.COVERS, Rel.BASED_IN, Rel.BELONGS_TO, Rel.HAD_FORM):
            self.add(self.orgs, source)
        elif rel in (Rel.MANAGES, Rel.LOCATED_IN):
            self.add(self.hosts, source)
        elif rel is Rel.PART_OF:
            self.add(self.places, source)
        elif rel is Rel.REPRESENTS:
            self.add(self.triads, source)

    def upper(self, parent: str) -> None:
        """Note the parent a REPORTS_TO link the load wrote (or an undo took back) names."""
        self.add(self.uppers, parent)

    def member(self, person: str, org: str | None = None) -> None:
        """Note a person the load wrote, or a membership of theirs (in ``org``)."""
        if self.all_members:
            return
        self.people.add(person)
        if org is not None:
            self.member_orgs.add(org)
        self._count_members()

    def home(self, person: str, building: str | None) -> None:
        """Note a person's home the load wrote (in ``building``) or let go of (None: the version
        it kept says where)."""
        if self.all_members:
            return
        self.people.add(person)
        if building is not None:
            self.buildings.add(building)
        self._count_members()

    def report(self, person: str, community: str | None = None) -> None:
        """Note a person whose report to a community (REPORTED_TO) the load wrote or let go of
        (to ``community``; None: the version it kept says which)."""
        if self.all_members:
            return
        self.people.add(person)
        if community is not None:
            self.reported.add(community)
        self._count_members()

    def parent(self, region: str) -> None:
        """Note the parent of a PART_OF link the load wrote (or an undo took back)."""
        if self.all_members:
            return
        self.parents.add(region)
        self._count_members()

    def seat(self, organization: str, holder: str | None = None) -> None:
        """Note an organization the load wrote a post on (or an undo took one back from), and
        the person holding it."""
        if self.all_seats:
            return
        self.seats.add(organization)
        if holder is not None:
            self.holders.add(holder)
        if len(self.seats) + len(self.holders) > self.limit:
            self.all_seats, self.seats, self.holders = True, set(), set()

    def _count_members(self) -> None:
        kept = (
            len(self.people)
            + len(self.member_orgs)
            + len(self.buildings)
            + len(self.parents)
            + len(self.reported)
        )
        if kept > self.limit:
            self.all_members = True
            self.people, self.member_orgs, self.buildings, self.parents = set(), set(), set(), set()
            self.reported = set()

    @property
    def anything(self) -> bool:
        return self.everything or bool(self.orgs or self.hosts or self.places)


def orgs_to_refresh(db: Database, touched: Touched) -> list[str]:
    """The ids of the orgs whose SERVES links ``touched`` may have changed."""
    if touched.everything:
        return _every(db, "party_org_ids")
    if not touched.anything:
        return []
    return _found(
        db,
        "serves_orgs",
        {
            "orgs": sorted(touched.orgs),
            "hosts": sorted(touched.hosts),
            "places": sorted(touched.places),
        },
    )


def refresh_serves(
    db: Database,
    ids: Iterable[str],
    advance: Callable[[int], None] | None = None,
    writers: int = WRITERS,
) -> tuple[int, int]:
    """Work out the SERVES links of these orgs afresh, with the forms copied onto them and the
    mark of those that may have a term; returns (links created, deleted).

    Batches of orgs are written by ``writers`` threads at once, each batch in a transaction of
    its own: a batch touches only its own orgs' links, so batches never wait on one another
    (the driver retries a transaction the engine ends as a deadlock)."""
    created = deleted = 0
    for counts in _in_batches(db, statement("serves_refresh"), ids, advance, writers):
        created += counts.relationships_created
        deleted += counts.relationships_deleted
    return created, deleted


def _every(db: Database, ids: str) -> list[str]:
    """Every id the statement ``ids`` reads (every org, estate, region or committee). Such a
    statement returns its ids as one list: a row for each took 20 µs, 7 s for a province's
    352,001 orgs, against 0.3 s for the list."""
    [row] = db.read(statement(ids))
    return list(row["ids"])


def _found(db: Database, query: str, parameters: dict[str, object]) -> list[str]:
    [row] = db.read(statement(query), parameters)
    return list(row["ids"])


def orgs_to_count(db: Database, touched: Touched, load: int | None = None) -> list[str]:
    """The ids of the orgs whose member steps ``touched`` may have changed: the orgs of the
    memberships noted, those the people noted are members of, and those load ``load`` let a
    membership of go (kept in its versions)."""
    if touched.all_members:
        return _every(db, "party_org_ids")
    if not (touched.people or touched.member_orgs):
        return []
    return _found(
        db,
        "member_steps_orgs",
        {"people": sorted(touched.people), "orgs": sorted(touched.member_orgs), "load": load},
    )


def estates_to_count(db: Database, touched: Touched, load: int | None = None) -> list[str]:
    """The ids of the estates whose unattached steps ``touched`` may have changed: where the
    people noted live, where the members of the orgs noted live (an org's founding or
    dissolution, a membership), the estates of the buildings and places noted, and the homes
    and estates load ``load`` let go of (kept in its versions)."""
    if touched.all_members or touched.everything:  # every org's founding, when everything
        return _every(db, "estate_ids")
    return _found(
        db,
        "unattached_steps_estates",
        {
            "people": sorted(touched.people),
            "orgs": sorted(touched.orgs | touched.member_orgs),
            "buildings": sorted(touched.buildings),
            "places": sorted(touched.places),
            "load": load,
        },
    )


def regions_to_count(
    db: Database, touched: Touched, estates: list[str], load: int | None = None
) -> tuple[list[str], list[str], list[str]]:
    """The ids of the communities, streets and districts whose unattached steps may have
    changed, each level's apart (a region's steps are summed from those of the level below):
    those above ``estates`` (whose steps were worked out again) and above the places whose
    parent ``touched`` notes, the parents it notes, and those above the parents load ``load``
    let go of."""
    if touched.all_members or touched.everything:
        [row] = db.read(statement("region_ids"))
    else:
        parameters = {
            "ids": sorted(set(estates) | touched.places),
            "regions": sorted(touched.parents),
            "load": load,
        }
        [row] = db.read(statement("unattached_steps_regions_of"), parameters)
    return list(row["communities"]), list(row["streets"]), list(row["districts"])


def buildings_to_count(db: Database, touched: Touched, load: int | None = None) -> list[str]:
    """The ids of the buildings whose resident steps ``touched`` may have changed: where the
    people noted live, the buildings noted, and the homes load ``load`` let go of (kept in its
    versions)."""
    if touched.all_members:
        return _every(db, "building_ids")
    return _found(
        db,
        "resident_steps_buildings",
        {"people": sorted(touched.people), "buildings": sorted(touched.buildings), "load": load},
    )


def committees_to_count(db: Database, touched: Touched, load: int | None = None) -> list[str]:
    """The ids of the owners' committees whose seat steps ``touched`` may have changed: those
    it notes posts on, those the people it notes hold posts on, and those load ``load`` let a
    post on go (kept in its versions)."""
    if touched.all_seats or touched.all_members:
        return _every(db, "committee_ids")
    return _found(
        db,
        "seat_steps_committees",
        {"committees": sorted(touched.seats), "people": sorted(touched.people), "load": load},
    )


def secretaries_to_count(db: Database, touched: Touched, load: int | None = None) -> list[str]:
    """The ids of the party orgs whose secretary steps ``touched`` may have changed: those it
    notes posts on, and those load ``load`` let a post on go (kept in its versions)."""
    if touched.all_seats or touched.everything:
        return _every(db, "party_org_ids")
    return _found(db, "secretary_steps_orgs", {"orgs": sorted(touched.seats), "load": load})


def sizes_to_count(
    db: Database, touched: Touched, load: int | None, counted: list[str], orgs: list[str]
) -> list[str]:
    """The ids of the party orgs whose size steps ``touched`` may have changed: those at or
    above an org whose member steps are ``counted`` anew, an org of ``orgs`` (whose links, row
    or parent's row it wrote), a parent it names, or one load ``load`` took a child from (kept
    in its versions) — those that are a branch or a general branch on some day, or were; with
    every member's steps, every such org."""
    everyone = touched.all_members or touched.everything
    parts = [] if everyone else sorted(set(counted) | set(orgs) | touched.uppers)
    return _found(db, "size_steps_orgs", {"everyone": everyone, "orgs": parts, "load": load})


def communities_to_count(db: Database, touched: Touched, load: int | None = None) -> list[str]:
    """The ids of the communities whose report steps ``touched`` may have changed: those it
    notes reports to, those the people it notes report to, and those load ``load`` let a report
    to go (kept in its versions); with every member's steps, every community."""
    everyone = touched.all_members or touched.everything
    return _found(
        db,
        "report_steps_communities",
        {
            "everyone": everyone,
            "communities": [] if everyone else sorted(touched.reported),
            "people": [] if everyone else sorted(touched.people),
            "load": load,
        },
    )


def estates_of_triads(db: Database, touched: Touched, load: int | None = None) -> list[str]:
    """The ids of the estates whose triad steps ``touched`` may have changed: those linked to
    an org, committee, firm or unit it notes (a row, a link or a post), the estates it notes,
    and those load ``load`` let a link to, or a post on one of their parties, go (kept in its
    versions); past the limit of either, every estate."""
    everyone = touched.everything or touched.all_seats
    bodies = touched.orgs | touched.hosts | touched.seats | touched.triads
    return _found(
        db,
        "triad_steps_estates",
        {
            "everyone": everyone,
            "bodies": [] if everyone else sorted(bodies),
            "estates": [] if everyone else sorted(touched.places | touched.triads),
            "load": load,
        },
    )


def holders_to_place(
    db: Database, touched: Touched, load: int | None, orgs: list[str]
) -> list[str]:
    """The ids of the persons whose mark of many posts and POSTED_IN links ``touched`` may have
    changed: those whose posts it notes, the holders of posts on ``orgs`` (whose SERVES links
    were worked out again), on the committees, firms and units it notes, and on what lies at or
    below the places it notes, and those whose post, or such a link, load ``load`` let go (kept
    in its versions); past the limit of posts, or with everything, everyone holding a post."""
    everyone = touched.everything or touched.all_seats
    return _found(
        db,
        "post_places_people",
        {
            "everyone": everyone,
            "people": [] if everyone else sorted(touched.holders),
            "bodies": [] if everyone else sorted(set(orgs) | touched.hosts | touched.triads),
            "places": [] if everyone else sorted(touched.places),
            "load": load,
        },
    )


def homes_to_mark(db: Database, touched: Touched) -> list[str]:
    """The ids of the persons whose home community ``touched`` may have changed: the people it
    notes (their home, member category, reports) and those living in the buildings or estates
    whose PART_OF it wrote or let go of (noted among its places); with every member's steps,
    every in-service member, reporter and person with a home community kept."""
    everyone = touched.all_members or touched.everything
    return _found(
        db,
        "homes_people",
        {
            "everyone": everyone,
            "people": [] if everyone else sorted(touched.people),
            "places": [] if everyone else sorted(touched.places),
        },
    )


def people_to_mark(db: Database, touched: Touched) -> list[str]:
    """The ids of the persons whose mark of a party member living in no estate ``touched`` may
    have changed: the people it notes (their party standing, their home) and those living in
    the buildings whose estate it wrote or let go of (noted among its places); with every
    member's steps, the party members living in no estate and those marked so."""
    everyone = touched.all_members or touched.everything
    return _found(
        db,
        "outside_estates_people",
        {
            "everyone": everyone,
            "people": [] if everyone else sorted(touched.people),
            "buildings": [] if everyone else sorted(touched.places),
        },
    )


def steps_to_count(
    db: Database, touched: Touched, load: int | None, orgs: list[str]
) -> list[tuple[str, list[str]]]:
    """What ``touched`` may have changed of the steps, spans and marks, in the order they are
    to be worked out: each statement that works them out afresh with the ids it is to be run
    for — the spans of broken hierarchy rules of ``orgs`` (those whose SERVES links were worked
    out afresh, which copies their forms: every org whose links, row or parent's row it wrote),
    the orgs' member steps, then their size steps (which read the member steps and the forms
    of the orgs below), the estates' unattached steps, then their communities', streets' and
    districts', in that order (each the sum of the level's below), the mark of the party members
    living in no estate, the home communities of the in-service members and reporters, the
    communities' report steps, the buildings' resident steps, the committees' seat steps, the
    orgs' secretary steps, then their spans of vacancy (which read the secretary steps, and the
    forms as the spans of broken rules do), the estates' triad steps, and the mark of many posts
    and POSTED_IN links of the persons (which read the SERVES links)."""
    estates = estates_to_count(db, touched, load)
    communities, streets, districts = regions_to_count(db, touched, estates, load)
    secretaries = secretaries_to_count(db, touched, load)
    counted = orgs_to_count(db, touched, load)
    return [
        ("hierarchy_refresh", orgs),
        ("member_steps_refresh", counted),
        ("size_steps_refresh", sizes_to_count(db, touched, load, counted, orgs)),
        ("unattached_steps_refresh", estates),
        ("unattached_steps_regions", communities),
        ("unattached_steps_regions", streets),
        ("unattached_steps_regions", districts),
        ("outside_estates_refresh", people_to_mark(db, touched)),
        ("homes_refresh", homes_to_mark(db, touched)),
        ("report_steps_refresh", communities_to_count(db, touched, load)),
        ("resident_steps_refresh", buildings_to_count(db, touched, load)),
        ("seat_steps_refresh", committees_to_count(db, touched, load)),
        ("secretary_steps_refresh", secretaries),
        ("vacancy_refresh", sorted(set(secretaries) | set(orgs))),
        ("triad_steps_refresh", estates_of_triads(db, touched, load)),
        ("post_places_refresh", holders_to_place(db, touched, load, orgs)),
    ]


def refresh_steps(
    db: Database,
    steps: list[tuple[str, list[str]]],
    advance: Callable[[int], None] | None = None,
    writers: int = WRITERS,
) -> None:
    """Work out these steps afresh (``steps_to_count``), each statement's ids in batches as
    ``refresh_serves`` writes, one statement after the other."""
    for name, ids in steps:
        for _ in _in_batches(db, statement(name), ids, advance, writers):
            pass


def refresh(
    db: Database,
    touched: Touched,
    load: int | None = None,
    advance: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Work out what ``touched`` may have changed of the derived links and properties: the
    SERVES links (returns those created and deleted), the member and size steps, the
    unattached steps, the resident steps, the seat steps, the secretary steps and spans of
    vacancy, the spans of broken hierarchy rules, the mark of the party members living in no
    estate, the home communities, the communities' report steps, the estates' triad steps,
    and the mark of many posts and POSTED_IN links."""
    orgs = orgs_to_refresh(db, touched)
    created, deleted = refresh_serves(db, orgs, advance=advance)
    refresh_steps(db, steps_to_count(db, touched, load, orgs))
    return created, deleted


def _in_batches(
    db: Database,
    query: str,
    ids: Iterable[str],
    advance: Callable[[int], None] | None,
    writers: int,
) -> Iterator[WriteCounts]:
    """Write ``query`` for batches of these ids, ``writers`` transactions at once, yielding
    each batch's counts in order. Fewer ids than ``writers`` batches of BATCH are shared out
    evenly (down to SHARED ids a batch), so that every writer has one: a province's 408 streets
    or 40 districts, each summing thousands of steps, were one batch, and one core."""
    ids = sorted(ids)
    size = min(BATCH, max(SHARED, -(-len(ids) // max(1, writers))))
    batches = [ids[start : start + size] for start in range(0, len(ids), size)]
    with ThreadPoolExecutor(max_workers=max(1, writers)) as pool:
        for batch, counts in zip(
            batches, pool.map(lambda b: db.write(query, {"ids": b}), batches), strict=True
        ):
            if advance is not None:
                advance(len(batch))
            yield counts


def refresh_all(db: Database) -> tuple[int, int]:
    """Work out every org's SERVES links, member steps and size steps, every estate's and region's
    unattached steps, every building's resident steps, every owners' committee's seat steps,
    every org's secretary steps, span of vacancy and span of broken hierarchy rules, the mark of
    the party members living in no estate, the home communities of the in-service members and
    reporters, every community's report steps, every estate's triad steps, the mark of many
    posts and POSTED_IN links of every person holding a post and the mark of the orgs that may
    have a term afresh (``orgnet db derive``), with the indexes they are read through, and
    record that the graph is at this version of them (on the latest load's record: the next load
    need not work them all out again)."""
    ensure_schema(db)  # the indexes the derived marks are read through
    counts = refresh(db, Touched(everything=True))
    db.write(statement("load_derived_set"), {"version": VERSION})
    return counts
