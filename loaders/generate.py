"""Synthetic datasets in the import format, deterministic for a seed (DESIGN §7).

A scenario is a data file of numbers (``loaders/scenarios/NAME.json``). The generator lays out
the territory first (how many streets, communities and estates), then writes one community at a
time — its estates, buildings, grids, party organizations, people and posts — straight to the
CSV files, so memory stays flat however large the scenario.

Totals a seed article publishes (the estate-level general branches, branches and building groups)
are met exactly: each community takes its share of what remains in proportion to its estates.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from orgnet.graph.errors import BadRequest
from orgnet.graph.model import term_years, type_below_parent

from .contract import FILES

SCENARIOS = Path(__file__).parent / "scenarios"
TODAY_YEAR = 2026
# The day the scenarios are drawn at: terms due, overdue and missing are laid out around it.
SNAPSHOT = dt.date(2026, 11, 23)


def scenario_names() -> list[str]:
    return sorted(p.stem for p in SCENARIOS.glob("*.json"))


Share = Annotated[float, Field(ge=0, le=1)]
Weight = Annotated[float, Field(ge=0, le=1_000_000)]


# The [least, most] pairs of counts, and the bounds each count keeps within.
SPANS = {
    "streets_per_district": (1, 50),
    "communities_per_street": (1, 50),
    "estates_per_community": (1, 200),
    "buildings_per_estate": (1, 200),
    "households_per_building": (1, 5_000),
    "grid_households": (1, 100_000),
    "units_per_street": (0, 1_000),
    "pairings_per_unit": (0, 50),
}


Total = Annotated[int, Field(ge=0, le=10_000_000)]
PerEstate = Annotated[float, Field(ge=0, le=50)]


class EstateOrgs(BaseModel):
    """The estate-level orgs: totals a seed article publishes, or a number per estate."""

    model_config = ConfigDict(extra="forbid")
    general_branches: Total | None = None
    branches: Total | None = None
    building_groups: Total | None = None
    general_branches_per_estate: PerEstate | None = None
    branches_per_estate: PerEstate | None = None
    building_groups_per_estate: PerEstate | None = None


class Scenario(BaseModel):
    """What a scenario file holds, with bounds that keep a generation finite and sensible."""

    model_config = ConfigDict(extra="forbid")

    description: str = ""
    id_prefix: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]{0,5}$")]
    districts: Annotated[int, Field(ge=1, le=100)]
    streets_per_district: tuple[int, int]
    communities_per_street: tuple[int, int]
    estates: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    estates_per_community: tuple[int, int]
    buildings_per_estate: tuple[int, int]
    households_per_building: tuple[int, int]
    grid_households: tuple[int, int]
    firms_per_district: Annotated[int, Field(ge=0, le=10_000)]
    units_per_street: tuple[int, int]
    estate_orgs: EstateOrgs
    joint_branch_share: Share
    grid_org_share: Share
    firm_org_share: Share
    party_guide_share: Share
    members_per_100_households: Annotated[float, Field(ge=0, le=100)]
    member_categories: dict[
        Literal["resident", "in_service", "retired", "floating", "veteran"], Weight
    ]
    estate_secretary_categories: dict[
        Literal["resident", "in_service", "retired", "floating", "veteran"], Weight
    ]
    reporting: dict[Literal["where_they_live", "elsewhere", "nowhere"], Weight]
    property_status: dict[
        Literal["managed", "unmanaged", "community_run", "self_managed", "unknown"], Weight
    ]
    owners_committee_share: Share
    committee_party_share: Annotated[tuple[Share, ...], Field(min_length=2, max_length=2)]
    triad_link_share: Share
    vacancy_share: Share
    expired_post_share: Share
    idle_unit_share: Share
    pairings_per_unit: tuple[int, int]
    pairing_skew: Annotated[float, Field(ge=0, le=10)]
    integrity_defects_per_district: Annotated[int, Field(ge=0, le=1_000)] = 0

    @model_validator(mode="after")
    def _ordered(self) -> Scenario:
        for name, (low, high) in SPANS.items():
            least, most = getattr(self, name)
            if not low <= least <= most <= high:
                raise ValueError(
                    f"{name}: [{least}, {most}] is not a range within {low}–{high}, least first"
                )
        least_share, most_share = self.committee_party_share
        if least_share > most_share:
            raise ValueError("committee_party_share: the least is above the most")
        for name in (
            "member_categories",
            "estate_secretary_categories",
            "reporting",
            "property_status",
        ):
            if not any(getattr(self, name).values()):
                raise ValueError(f"{name}: at least one weight must be above 0")
        return self


def _scenario(text: str, source: str) -> dict[str, Any]:
    try:
        spec = Scenario.model_validate_json(text)
    except ValidationError as e:
        wrong = "; ".join(
            f"{'.'.join(str(x) for x in error['loc']) or 'the file'}: {error['msg']}"
            for error in e.errors()[:5]
        )
        raise BadRequest(f"{source}: not a scenario — {wrong}") from None
    return spec.model_dump(mode="json", exclude_none=True)


def load_scenario(name: str) -> dict[str, Any]:
    """A packaged scenario by name (demo, xinfu, province)."""
    if name not in scenario_names():
        raise BadRequest(f"unknown scenario {name!r}; one of {', '.join(scenario_names())}")
    return _scenario((SCENARIOS / f"{name}.json").read_text(encoding="utf-8"), name)


def read_scenario_file(path: Path) -> dict[str, Any]:
    """A scenario written by hand, from its file (the packaged ones show the shape)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise BadRequest(f"{path}: cannot read the scenario ({e})") from None
    return _scenario(text, str(path))


class _Files:
    """One CSV writer per file of the import format, English headers, UTF-8."""

    def __init__(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.stack = contextlib.ExitStack()
        self.writers: dict[str, Any] = {}
        self.counts: Counter[str] = Counter()
        for spec in FILES:
            path = out / f"{spec.name}.csv"
            handle = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 — the stack closes it
            self.stack.enter_context(handle)
            writer = csv.DictWriter(handle, [c.name for c in spec.columns], extrasaction="raise")
            writer.writeheader()
            self.writers[spec.name] = writer

    def write(self, file: str, /, **row: object) -> None:
        self.writers[file].writerow({k: "" if v is None else v for k, v in row.items()})
        self.counts[file] += 1

    def close(self) -> None:
        self.stack.close()


class _Quota:
    """A published total shared out over communities: each takes its part of what remains."""

    def __init__(self, total: int, estates: int) -> None:
        self.remaining = total
        self.estates_left = estates

    def take(self, estates: int, capacity: int) -> int:
        if self.estates_left <= 0:
            return 0
        share = round(self.remaining * estates / self.estates_left)
        self.estates_left -= estates
        n = max(0, min(share, capacity, self.remaining))
        self.remaining -= n
        return n


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@dataclass
class _Member:
    id: str
    category: str
    building: str


@dataclass
class _Estate:
    id: str
    households: int
    buildings: list[tuple[str, int]] = field(default_factory=list)  # (id, households)
    grids: set[str] = field(default_factory=set)
    org: str | None = None
    members: list[_Member] = field(default_factory=list)
    committee: str | None = None
    firm: str | None = None
    committee_staffed: bool = False
    name: str = ""


class _Generator:
    def __init__(self, spec: dict[str, Any], out: Path, seed: int) -> None:
        self.s = spec
        self.rng = random.Random(seed)
        # Dates that later rounds of the model added (terms, contracts that ended, membership
        # dates) come from a generator of their own, so that everything drawn before them is
        # drawn as it was: the same seed still gives the same territory, orgs and people.
        self.dated = random.Random(seed * 1_000_003 + 17)
        self.files = _Files(out)
        self.person_seq = 0
        self.phone_seq = self.rng.randrange(10**7)
        self.posted: set[tuple[str, str, str]] = set()  # this community's posts, written
        self.founded = ""  # the founding of the org written last

    # -- small helpers -------------------------------------------------------------------------

    def between(self, bounds: list[int]) -> int:
        return self.rng.randint(bounds[0], bounds[1])

    def date(self, first_year: int, last_year: int = TODAY_YEAR - 1) -> str:
        year = self.rng.randint(first_year, last_year)
        if self.rng.random() < 0.2:
            return f"{year}-{self.rng.randint(1, 12):02d}"  # month precision, as rosters have it
        return f"{year}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"

    def person(
        self,
        *,
        member: bool,
        category: str | None = None,
        org: str | None = None,
        building: str | None = None,
        employer: str | None = None,
    ) -> str:
        self.person_seq += 1
        pid = f"{self.s.get('id_prefix', '')}P{self.person_seq:07d}"
        self.phone_seq = (self.phone_seq * 48271 + 11) % (10**8)
        gender = self.rng.choice(("男", "女"))
        born = self.rng.randint(1945, 2000)
        if category == "retired":
            born = self.rng.randint(1940, 1963)
        # Drawn in the order the generator always drew them (the same seed, the same people).
        name = _name(self.rng)
        phone = f"13{self.rng.randint(0, 9)}{self.phone_seq:08d}"
        joined = self.date(max(born + 18, 1960), TODAY_YEAR - 1) if member else None
        self.files.write(
            "persons",
            id=pid,
            name=name,
            gender=gender,
            birth_year=born,
            phone=phone,
            party_member="是" if member else "否",
            member_category=category if member else None,
            party_org_id=org if member else None,
            building_id=building,
            employer_id=employer,
            joined_party=joined,
            member_since=self.member_since(joined) if member and org else None,
        )
        return pid

    def member_since(self, joined: str | None) -> str | None:
        """When a membership came to its org (组织关系转入), for a third of them: a month since
        2015, never before the person joined the party."""
        if self.dated.random() >= 0.3:
            return None
        month = f"{self.dated.randint(2015, TODAY_YEAR - 1)}-{self.dated.randint(1, 12):02d}"
        return max(month, joined or "")

    def post(
        self, person: str, org: str, role: str, *, part_time: bool = False, current: bool = True
    ) -> None:
        since = self.date(2012, 2024)
        until = None
        if not current:
            until = self.date(2019, 2025)
            since = min(since, until)
            if since[: len(until)] >= until[: len(since)]:  # a post held for a while, not never
                since = f"{int(until[:4]) - 1}{until[4:]}"
        # One post is one row (the loader refuses a second): a member drawn twice for the same
        # committee keeps the first seat (the dates are drawn all the same, so that everything
        # after is drawn as it was).
        if (person, org, role) in self.posted:
            return
        self.posted.add((person, org, role))
        self.files.write(
            "posts",
            person_id=person,
            org_id=org,
            role=role,
            since=since,
            until=until,
            part_time="是" if part_time else None,
        )

    def org(
        self,
        oid: str,
        name: str,
        otype: str,
        level: str,
        *,
        parent: str | None,
        covers: Sequence[str] = (),
        formation: str = "standalone",
        host: str | None = None,
        region: str | None = None,
    ) -> str:
        founded, term = self.date(1995, 2024), self.term_start(otype, level)
        if term is not None and term < founded[: len(term)]:
            founded = term  # an org holds its first election once it is founded
        self.founded = founded
        self.files.write(
            "party_orgs",
            id=oid,
            name=name,
            type=otype,
            level=level,
            parent_id=parent,
            formation=formation,
            founded=founded,
            covers=";".join(covers) or None,
            host_id=host,
            region_id=region,
            term_start=term,
        )
        return oid

    def history(
        self,
        oid: str,
        name: str,
        otype: str,
        parent: str | None,
        covers: list[str],
        joined: _Estate | None,
    ) -> None:
        """An estate org's past, drawn apart (``self.dated``): a general branch that was a
        branch until it grew (升格, 组织沿革); a branch that took over from one dissolved on the
        day it was founded (撤销); a joint branch's later estate, covered from a later day."""
        founded, rng = self.founded, self.dated
        year = int(founded[:4])
        if joined is not None:
            since = founded if year >= 2025 else self.dated_day(year + 1, 2025)
            self.files.write("covers", org_id=oid, target_id=joined.id, since=since)
        if otype == "general_branch" and rng.random() < 0.5 and year < 2025:
            self.files.write(
                "org_history", org_id=oid, since=founded, type="branch", level="estate"
            )
            self.files.write(
                "org_history",
                org_id=oid,
                since=self.dated_day(year + 1, 2025),
                type="general_branch",
                level="estate",
            )
        if rng.random() < 0.06 and year > 1990:
            self.files.write(
                "party_orgs",
                id=f"{oid}-P",
                name=f"原{name.removesuffix('党总支').removesuffix('党支部')}党支部",
                type="branch",
                level="estate",
                parent_id=parent,
                formation="standalone",
                founded=self.dated_day(1985, year - 1),
                dissolved=founded,
                covers=";".join(covers),
            )

    def dated_day(self, first_year: int, last_year: int) -> str:
        """A day of those years, from the generator of later rounds."""
        rng = self.dated
        year = rng.randint(first_year, last_year)
        return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

    def term_start(self, otype: str, level: str) -> str | None:
        """The start of an elected org's current term, laid out so that at SNAPSHOT most terms
        run on, some end within six months (10%), some are overdue (8%) and some were never
        recorded (12%)."""
        years = term_years(otype, level)
        if years is None:
            return None
        roll = self.dated.random()
        if roll < 0.12:
            return None
        if roll < 0.20:  # overdue: ended up to three years before the snapshot
            ends = SNAPSHOT - dt.timedelta(days=self.dated.randint(1, 3 * 365))
        elif roll < 0.30:  # due: ends within the coming six months
            ends = SNAPSHOT + dt.timedelta(days=self.dated.randint(1, 181))
        else:  # runs on: ends after the window, within a whole term
            ends = SNAPSHOT + dt.timedelta(days=self.dated.randint(183, years * 365))
        start = dt.date(ends.year - years, ends.month, min(ends.day, 28))
        return start.isoformat() if self.dated.random() < 0.8 else start.isoformat()[:7]

    def secretary(
        self,
        org: str,
        candidates: list[_Member],
        weights: dict[str, float] | None,
        fallback_building: str | None,
    ) -> str | None:
        """Appoint the org's secretary, or leave the post vacant (or lapsed) at the set rate."""
        roll = self.rng.random()
        if roll < self.s["vacancy_share"]:
            return None
        wanted = _weighted(self.rng, weights) if weights else None
        pool = [m for m in candidates if wanted is None or m.category == wanted]
        if pool:
            chosen = self.rng.choice(pool).id
        else:
            chosen = self.person(
                member=True, category=wanted or "resident", org=org, building=fallback_building
            )
        lapsed = roll < self.s["vacancy_share"] + self.s["expired_post_share"] / 2
        self.post(chosen, org, "secretary", current=not lapsed)
        return chosen

    # -- layout --------------------------------------------------------------------------------

    def layout(self) -> list[tuple[str, list[tuple[str, list[int]]]]]:
        """Districts → streets → communities with their estate counts."""
        districts = []
        weights: list[int] = []
        prefix = self.s.get("id_prefix", "")
        for d in range(1, self.s["districts"] + 1):
            streets = []
            for st in range(1, self.between(self.s["streets_per_district"]) + 1):
                communities = [
                    self.between(self.s["estates_per_community"])
                    for _ in range(self.between(self.s["communities_per_street"]))
                ]
                weights += communities
                streets.append((f"{prefix}D{d:02d}-S{st:02d}", communities))
            districts.append((f"{prefix}D{d:02d}", streets))
        total = self.s.get("estates")
        if total:  # a published total: share it out in proportion to the drawn weights
            quota = _Quota(total, sum(weights))
            for _, streets in districts:
                for _, communities in streets:
                    for i, w in enumerate(communities):
                        communities[i] = max(1, quota.take(w, total))
        return [(d, [(s, c) for s, c in streets]) for d, streets in districts]

    def run(self) -> Counter[str]:
        layout = self.layout()
        estates_total = sum(sum(c) for _, streets in layout for _, c in streets)
        orgs = self.s["estate_orgs"]

        def total(name: str) -> int:
            return int(orgs.get(name) or round(orgs.get(f"{name}_per_estate", 0) * estates_total))

        self.general_branches = _Quota(total("general_branches"), estates_total)
        self.branches = _Quota(total("branches"), estates_total)
        self.groups = _Quota(total("building_groups"), estates_total)
        try:
            for district, streets in layout:
                self.district(district, streets)
        finally:
            self.files.close()
        return self.files.counts

    def district(self, did: str, streets: list[tuple[str, list[int]]]) -> None:
        district = f"{_place(self.rng)}区"
        self.files.write("regions", id=did, name=district, kind="区", parent_id=None)
        # The district's sector committee covers no place and is based nowhere: it belongs to
        # the district (region_id), or no district scope would see it.
        sector = self.org(
            f"PO-{did}-WY", f"{district}物业行业党委", "committee", "sector", parent=None,
            region=did,
        )  # fmt: skip
        firms = []
        for f in range(1, self.s["firms_per_district"] + 1):
            fid = f"{did}-F{f:03d}"
            firms.append(fid)
            firm = f"{_place(self.rng)}物业服务有限公司"
            self.files.write(
                "property_firms",
                id=fid,
                name=firm,
                star_rating=self.rng.choice((None, 1, 2, 3, 3, 4, 5)),
            )
            manager = self.person(
                member=self.rng.random() < 0.4, category="in_service", employer=fid
            )
            self.post(manager, fid, "manager")
            if self.rng.random() < self.s["firm_org_share"]:
                forg = self.org(
                    f"PO-{fid}", f"{firm}党支部", "branch", "unit", parent=sector, host=fid
                )
                self.post(
                    self.person(member=True, category="in_service", org=forg, employer=fid),
                    forg,
                    "secretary",
                )
            elif self.rng.random() < self.s["party_guide_share"]:
                guide = self.person(member=True, category="in_service")
                self.post(guide, fid, "party_guide")
        self.firms = firms
        defects = self.s.get("integrity_defects_per_district", 0)
        self.defects_left = defects
        for sid, communities in streets:
            self.street(did, sid, communities)

    def street(self, did: str, sid: str, communities: list[int]) -> None:
        street = f"{_place(self.rng)}街道"
        self.files.write("regions", id=sid, name=street, kind="street", parent_id=did)
        sorg = self.org(
            f"PO-{sid}",
            f"{street}大工委",
            "working_committee",
            "street",
            parent=None,
            covers=[sid],
        )
        self.post(self.person(member=True, category="in_service", org=sorg), sorg, "secretary")
        community_ids = [f"{sid}-C{c:02d}" for c in range(1, len(communities) + 1)]
        units: list[tuple[str, str | None]] = []
        for u in range(1, self.between(self.s["units_per_street"]) + 1):
            uid = f"{sid}-U{u:02d}"
            kind = self.rng.choice(
                (
                    "agency",
                    "agency",
                    "soe",
                    "school",
                    "hospital",
                    "institution",
                    "private",
                    "social_org",
                )
            )
            unit = f"{_place(self.rng)}{_UNIT_NAMES[kind]}"
            self.files.write(
                "units",
                id=uid,
                name=unit,
                kind=kind,
                street_id=sid,
            )
            if kind != "social_org":
                uorg = self.org(
                    f"PO-{uid}", f"{unit}党支部", "branch", "unit", parent=None, host=uid
                )
                units.append((uid, uorg))
            else:
                units.append((uid, None))
        self.units = units
        self.pairings(units, community_ids)
        for cid, estates in zip(community_ids, communities, strict=True):
            self.community(sid, sorg, cid, estates, community_ids)

    def pairings(self, units: list[tuple[str, str | None]], communities: list[str]) -> None:
        # Pairings are skewed: a few communities draw most units (Zipf weights).
        order = communities[:]
        self.rng.shuffle(order)
        weights = [1 / (rank + 1) ** self.s["pairing_skew"] for rank in range(len(order))]
        for uid, _ in units:
            if self.rng.random() < self.s["idle_unit_share"]:
                continue
            n = min(self.between(self.s["pairings_per_unit"]), len(order))
            chosen: set[str] = set()
            while len(chosen) < n:
                chosen.add(self.rng.choices(order, weights=weights)[0])
            for cid in sorted(chosen):
                since = self.date(2018, 2025)
                # Some agreements ran out (a year or three after they began).
                ended = self.dated.random() < 0.08
                self.files.write(
                    "pairings",
                    unit_id=uid,
                    target_id=cid,
                    since=since,
                    until=f"{int(since[:4]) + self.dated.randint(1, 3)}{since[4:]}"
                    if ended
                    else None,
                    agreement=f"GJ-{uid}-{cid[-3:]}",
                )
            if self.rng.random() < 0.3:
                self.files.write(
                    "liaisons",
                    liaison_id=uid,
                    target_id=sorted(chosen)[0],
                    scheme="包联区直单位",
                    since=self.date(2020, 2025),
                )

    # -- a community ---------------------------------------------------------------------------

    def community(
        self, sid: str, sorg: str, cid: str, n_estates: int, neighbours: list[str]
    ) -> None:
        s, rng = self.s, self.rng
        estates = []
        for e in range(1, n_estates + 1):
            estate = _Estate(f"{cid}-E{e:03d}", 0)
            for b in range(1, self.between(s["buildings_per_estate"]) + 1):
                households = self.between(s["households_per_building"])
                estate.buildings.append((f"{estate.id}-B{b:02d}", households))
                estate.households += households
            estates.append(estate)
        households = sum(e.households for e in estates)
        category = rng.choice(("old_housing", "mature_housing", "resettlement", "mixed"))
        own_figure = households if rng.random() < 0.7 else None
        community = f"{_place(rng)}社区"
        self.files.write(
            "regions",
            id=cid,
            name=community,
            kind="community",
            parent_id=sid,
            households=own_figure,
            population=round(households * 2.7) if own_figure else None,
            category=category,
        )
        corg = self.org(
            f"PO-{cid}", f"{community}大党委", "committee", "community", parent=sorg, covers=[cid]
        )

        # Grids follow buildings in order until a grid holds 300–500 households, so small
        # estates share a grid (网格大于小区) and large ones are split (网格小于小区).
        grid_of: dict[str, str] = {}
        grids: list[tuple[str, int]] = []
        target, filled = self.between(s["grid_households"]), 0
        for estate in estates:
            for bid, hh in estate.buildings:
                if not grids or filled >= target:
                    grids.append((f"{cid}-G{len(grids) + 1:02d}", 0))
                    target, filled = self.between(s["grid_households"]), 0
                filled += hh
                grids[-1] = (grids[-1][0], grids[-1][1] + hh)
                if rng.random() > 0.02:  # a few buildings not yet assigned to a grid
                    grid_of[bid] = grids[-1][0]
                    estate.grids.add(grids[-1][0])
        grid_orgs: dict[str, tuple[str, str]] = {}  # grid → its org and the org's type
        for gid, hh in grids:
            self.files.write(
                "regions",
                id=gid,
                name=f"{community}第{int(gid[-2:])}网格",
                kind="grid",
                parent_id=cid,
                households=hh,
            )
            if rng.random() < s["grid_org_share"]:
                otype = "general_branch" if hh > 450 else "branch"
                kind = "总支" if otype == "general_branch" else "支部"
                name = f"{community}第{int(gid[-2:])}网格党{kind}"
                oid = self.org(f"PO-{gid}", name, otype, "grid", parent=corg, covers=[gid])
                grid_orgs[gid] = (oid, otype)

        for estate in estates:
            self.estate_rows(cid, estate, grid_of)

        self.estate_orgs(cid, corg, estates, grid_orgs)
        self.people(cid, corg, estates, neighbours, grids)

    def estate_rows(self, cid: str, estate: _Estate, grid_of: dict[str, str]) -> None:
        s, rng = self.s, self.rng
        status = _weighted(rng, s["property_status"])
        estate.name = f"{_place(rng)}{rng.choice(_ESTATE_SUFFIX)}"
        self.files.write(
            "estates",
            id=estate.id,
            name=estate.name,
            community_id=cid,
            households=estate.households,
            built_year=rng.randint(1978, 2023),
            property_status=None if status == "unknown" else status,
        )
        for bid, hh in estate.buildings:
            self.files.write(
                "buildings",
                id=bid,
                name=f"{int(bid[-2:])}号楼",
                estate_id=estate.id,
                grid_id=grid_of.get(bid),
                households=hh,
            )
        if status == "managed":
            estate.firm = rng.choice(self.firms)
            since = self.date(2010, 2025)
            self.files.write("management", firm_id=estate.firm, estate_id=estate.id, since=since)
            if self.dated.random() < 0.1:
                # An earlier contract, with another firm, that ended when this one began.
                earlier = self.dated.choice(self.firms)
                if earlier != estate.firm and since[:4] > "2010":
                    self.files.write(
                        "management",
                        firm_id=earlier,
                        estate_id=estate.id,
                        since=f"{int(since[:4]) - self.dated.randint(3, 8)}-01-01",
                        until=since,
                    )
        if rng.random() < s["owners_committee_share"]:
            kind = (
                "management_committee"
                if status in ("unmanaged", "self_managed")
                else "owners_committee"
            )
            estate.committee = f"OC-{estate.id}"
            founded = self.date(2012, 2025)
            self.files.write(
                "owners_committees",
                id=estate.committee,
                name=estate.name
                + ("业主委员会" if kind == "owners_committee" else "物业管理委员会"),
                estate_id=estate.id,
                kind=kind,
                founded=founded,
            )
            if self.dated.random() < 0.05 and int(founded[:4]) > 2006:
                # The committee before this one, dissolved when this one was elected.
                self.files.write(
                    "owners_committees",
                    id=f"{estate.committee}-P",
                    name=f"{estate.name}原业主委员会",
                    estate_id=estate.id,
                    kind="owners_committee",
                    founded=self.dated_day(2005, int(founded[:4]) - 1),
                    dissolved=founded,
                )

    def estate_orgs(
        self, cid: str, corg: str, estates: list[_Estate], grid_orgs: dict[str, tuple[str, str]]
    ) -> None:
        rng = self.rng
        n = len(estates)
        general = self.general_branches.take(n, n)
        branches = self.branches.take(n, n - general)
        by_size = sorted(estates, key=lambda e: -e.households)
        covered: list[tuple[str, list[_Estate]]] = [
            ("general_branch", [e]) for e in by_size[:general]
        ]
        rest = by_size[general:]
        rng.shuffle(rest)
        spare = len(rest) - branches
        for _ in range(branches):
            size = 1
            if spare > 0 and rng.random() < self.s["joint_branch_share"]:
                size = min(1 + rng.randint(1, 2), 1 + spare)  # a joint branch of 2–3 estates
                spare -= size - 1
            covered.append(("branch", [rest.pop() for _ in range(size)]))
        org_estates: list[tuple[str, list[_Estate]]] = []
        for i, (otype, group) in enumerate(covered, start=1):
            first = group[0]
            # Five levels: an estate org reports to its grid's org where there is one of a type
            # above its own (a branch under a grid's general branch), else to the community's.
            grid = sorted(first.grids)[0] if first.grids else None
            parent: str | None = corg
            if grid in grid_orgs and type_below_parent(otype, grid_orgs[grid][1]):
                parent = grid_orgs[grid][0]
            if self.defects_left > 0 and rng.random() < 0.05:
                self.defects_left -= 1
                parent = None  # an estate org with no parent: a hierarchy defect to be found
            # A joint branch may have taken in its last estate after it was founded (a dated
            # cover, from the covers table).
            joined = group[-1] if len(group) > 1 and self.dated.random() < 0.3 else None
            name = (
                f"{first.name}{'等小区联合' if len(group) > 1 else ''}党"
                f"{'总支' if otype == 'general_branch' else '支部'}"
            )
            oid = self.org(
                f"PO-{cid}-X{i:03d}",
                name,
                otype,
                "estate",
                parent=parent,
                covers=[e.id for e in group if e is not joined],
                formation="joint" if len(group) > 1 else "standalone",
            )
            self.history(oid, name, otype, parent, [e.id for e in group], joined)
            for estate in group:
                estate.org = oid
            org_estates.append((oid, group))
        candidates = [(e, b) for oid, group in org_estates for e in group for b in e.buildings]
        groups = self.groups.take(len(estates), len(candidates))
        self.group_of: dict[str, str] = {}
        for k, (estate, (bid, _)) in enumerate(rng.sample(candidates, groups), start=1):
            assert estate.org is not None
            gid = self.org(
                f"PO-{cid}-Q{k:03d}",
                f"{estate.name}{int(bid[-2:])}号楼党小组",
                "group",
                "building",
                parent=estate.org,
                covers=[bid],
            )
            self.group_of[bid] = gid
        self.org_estates = org_estates
        self.corg_members: list[_Member] = []

    def people(
        self,
        cid: str,
        corg: str,
        estates: list[_Estate],
        neighbours: list[str],
        grids: list[tuple[str, int]],
    ) -> None:
        s, rng = self.s, self.rng
        categories = s["member_categories"]
        for estate in estates:
            expected = estate.households * s["members_per_100_households"] / 100
            count = max(0, round(rng.gauss(expected, expected / 3)))
            for _ in range(count):
                bid = rng.choice(estate.buildings)[0]
                category = _weighted(rng, categories)
                employer = None
                org: str | None
                if category == "in_service":
                    uid, uorg = rng.choice(self.units)
                    employer, org = uid, uorg
                elif category == "floating":
                    org = corg if rng.random() < 0.5 else None
                else:
                    org = self.group_of.get(bid) or estate.org or corg
                pid = self.person(
                    member=True, category=category, org=org, building=bid, employer=employer
                )
                member = _Member(pid, category, bid)
                estate.members.append(member)
                if category == "in_service":
                    self.report(pid, cid, neighbours)
        self.posts(cid, corg, estates, grids)

    def report(self, pid: str, cid: str, neighbours: list[str]) -> None:
        where = _weighted(self.rng, self.s["reporting"])
        if where == "nowhere":
            return
        target = cid
        if where == "elsewhere" and len(neighbours) > 1:
            target = self.rng.choice([c for c in neighbours if c != cid])
        self.files.write("reports", person_id=pid, community_id=target, since=self.date(2019, 2025))

    def posts(
        self, cid: str, corg: str, estates: list[_Estate], grids: list[tuple[str, int]]
    ) -> None:
        s, rng = self.s, self.rng
        self.posted.clear()  # a post's org lies in one community: the set stays small
        everyone = [m for e in estates for m in e.members]
        any_building = estates[0].buildings[0][0] if estates else None
        secretary = self.secretary(
            corg, [m for m in everyone if m.category != "floating"], None, any_building
        )
        for role in ("deputy_secretary", "committee_member", "committee_member"):
            self.post(self.person(member=True, category="resident", org=corg), corg, role)
        if rng.random() < 0.3:
            self.post(self.person(member=True, category="in_service"), corg, "first_secretary")
        # 双向进入、交叉任职: a firm manager sits on the community committee part-time.
        if self.firms and rng.random() < 0.5:
            manager = self.person(
                member=True, category="in_service", employer=rng.choice(self.firms)
            )
            self.post(manager, corg, "part_time_member", part_time=True)
        for gid, _ in grids:
            self.post(secretary or self.person(member=False), gid, "grid_leader")
            self.post(self.person(member=False, building=any_building), gid, "grid_worker")

        weights = s["estate_secretary_categories"]
        for oid, group in self.org_estates:
            members = [m for e in group for m in e.members]
            chosen = self.secretary(oid, members, weights, group[0].buildings[0][0])
            group_members = [m for m in members if m.id != chosen]
            if group_members and rng.random() < 0.6:
                self.post(rng.choice(group_members).id, oid, "committee_member")
            for estate in group:
                self.committee_posts(estate, chosen if estate is group[0] else None)
        for estate in estates:
            if estate.org is None:
                if estate.members and rng.random() < s["party_guide_share"]:
                    self.post(rng.choice(estate.members).id, estate.id, "party_guide")
                self.committee_posts(estate, None)
            for bid, _ in estate.buildings:
                if rng.random() < 0.5:
                    leader = self.person(
                        member=rng.random() < 0.3, category="resident", building=bid
                    )
                    self.post(leader, bid, "building_leader")
            if estate.members and rng.random() < 0.1:
                cadre = self.person(member=True, category="in_service")
                self.files.write(
                    "liaisons",
                    liaison_id=cadre,
                    target_id=estate.id,
                    scheme="包联组工干部",
                    since=self.date(2020, 2025),
                )

    def committee_posts(self, estate: _Estate, org_secretary: str | None) -> None:
        """Owners' committee members, with a varying party share; sometimes the estate org's
        secretary chairs it (the triad linked: 三方联动)."""
        if estate.committee is None or estate.committee_staffed:
            return
        estate.committee_staffed = True
        s, rng = self.s, self.rng
        low, high = s["committee_party_share"]
        party_share = rng.uniform(low, high)
        size = rng.randint(3, 7)
        chair_linked = org_secretary is not None and rng.random() < s["triad_link_share"]
        for k in range(size):
            role = "chair" if k == 0 else "vice_chair" if k == 1 else "member"
            if k == 0 and chair_linked:
                assert org_secretary is not None
                self.post(org_secretary, estate.committee, "chair")
                continue
            bid = rng.choice(estate.buildings)[0]
            if estate.members and rng.random() < party_share:
                person = rng.choice(estate.members).id
            else:
                person = self.person(member=False, building=bid)
            self.post(
                person, estate.committee, role, current=rng.random() >= s["expired_post_share"]
            )


def generate_scenario(spec: dict[str, Any], out: Path, *, seed: int = 1) -> Counter[str]:
    """Write the scenario's dataset to ``out`` (CSV, UTF-8); return the rows per file."""
    return _Generator(spec, Path(out), seed).run()


_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰文斌海燕波宁凤云辉鹏"
_PLACES = "东西南北中新和平安康华兴盛祥瑞福泰宁顺丰阳光明德仁信义春秋景园林山水河湖滨江城"
_ESTATE_SUFFIX = ("小区", "花园", "家园", "苑", "新村", "公寓", "雅居")
_UNIT_NAMES = {
    "agency": "区直机关",
    "soe": "国有公司",
    "school": "中学",
    "hospital": "医院",
    "institution": "事业中心",
    "private": "科技有限公司",
    "social_org": "志愿者协会",
}


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.randint(1, 2)))


def _place(rng: random.Random) -> str:
    return "".join(rng.choice(_PLACES) for _ in range(2))
