"""The knowledge model, declared once.

Labels, relationship types, their properties and every enumeration of DESIGN §2 live here, as
data. The loader's parsing and validation, the database constraints, the Excel template and the
documentation all read these declarations; nothing restates them.

Each enumeration value has an English code (stored in the graph) and one or more Chinese names
(accepted on import; the first is the label shown in output).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

# Every node also carries this label, so that an id is unique across the whole graph whatever
# the label (DESIGN §3) and a reference such as posts.org_id resolves with one index seek.
ENTITY = "Entity"

_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Choice:
    """One value of an enumeration: the code stored in the graph and its Chinese names."""

    code: str
    names: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.names[0]


@dataclass(frozen=True)
class Vocabulary:
    """An enumeration: a closed set of codes, each with Chinese names."""

    name: str
    zh: str  # what the enumeration is called in Chinese, for messages and documentation
    choices: tuple[Choice, ...]

    def codes(self) -> list[str]:
        return [c.code for c in self.choices]

    def label(self, code: str) -> str:
        for choice in self.choices:
            if choice.code == code:
                return choice.label
        return code

    def lookup(self) -> dict[str, str]:
        """Every accepted spelling (code, case-folded, and Chinese names) → code."""
        table: dict[str, str] = {}
        for choice in self.choices:
            table[choice.code.casefold()] = choice.code
            table[choice.code.replace("_", " ").casefold()] = choice.code
            for name in choice.names:
                table[name.casefold()] = choice.code
        return table


def _vocab(name: str, zh: str, *pairs: tuple[str, str]) -> Vocabulary:
    return Vocabulary(
        name,
        zh,
        tuple(Choice(code, tuple(n.strip() for n in names.split("/"))) for code, names in pairs),
    )


REGION_KIND = _vocab(
    "region_kind",
    "区域层级",
    ("district", "区/县/市辖区"),
    ("street", "街道/镇"),
    ("community", "社区"),
    ("grid", "网格/微网格"),
)
COMMUNITY_CATEGORY = _vocab(
    "community_category",
    "社区类别",
    ("old_housing", "老旧住宅类/老旧住宅"),
    ("mature_housing", "成熟住宅类/成熟住宅"),
    ("resettlement", "移民安置类/移民安置"),
    ("mixed", "多元融合类/多元融合"),
)
PROPERTY_STATUS = _vocab(
    "property_status",
    "物业状态",
    ("managed", "有物业"),
    ("unmanaged", "无物业"),
    ("community_run", "社区领办物业/社区党组织领办物业/社区领办"),
    ("self_managed", "业主自管"),
)
ORG_TYPE = _vocab(
    "org_type",
    "组织类型",
    ("working_committee", "党工委/大工委/街道党工委/街道大工委"),
    ("committee", "党委/大党委/社区党委/社区大党委"),
    ("general_branch", "党总支/总支"),
    ("branch", "党支部/支部"),
    ("group", "党小组/楼栋党小组/楼宇党小组"),
)
ORG_LEVEL = _vocab(
    "org_level",
    "组织层级",
    ("street", "街道"),
    ("community", "社区"),
    ("grid", "网格"),
    ("estate", "小区"),
    ("building", "楼栋/楼宇"),
    ("unit", "单位"),
    ("sector", "行业"),
)
FORMATION = _vocab(
    "formation",
    "组建方式",
    ("standalone", "单独组建"),
    ("joint", "联合组建"),
    ("affiliated", "挂靠组建"),
    ("functional", "功能型/功能型党支部"),
)
UNIT_KIND = _vocab(
    "unit_kind",
    "单位类别",
    ("agency", "机关"),
    ("soe", "国有企业/国企"),
    ("school", "学校"),
    ("hospital", "医院"),
    ("institution", "事业单位"),
    ("private", "非公企业/民营企业"),
    ("social_org", "社会组织"),
)
COMMITTEE_KIND = _vocab(
    "committee_kind",
    "委员会类别",
    ("owners_committee", "业委会/业主委员会"),
    ("management_committee", "物管会/物业管理委员会"),
)
MEMBER_CATEGORY = _vocab(
    "member_category",
    "党员类别",
    ("resident", "居民党员"),
    ("in_service", "在职党员"),
    ("retired", "离退休党员/退休党员"),
    ("floating", "流动党员"),
    ("veteran", "退役军人党员"),
)
ROLE = _vocab(
    "role",
    "职务",
    ("secretary", "书记"),
    ("deputy_secretary", "副书记"),
    ("committee_member", "委员/支委"),
    ("part_time_member", "兼职委员"),
    ("first_secretary", "第一书记"),
    ("chair", "主任"),
    ("vice_chair", "副主任"),
    ("member", "成员"),
    ("manager", "物业负责人/项目经理"),
    ("party_guide", "党建指导员"),
    ("grid_leader", "网格长"),
    ("grid_worker", "网格员"),
    ("building_leader", "楼栋长"),
    ("unit_leader", "单元长"),
)
GENDER = _vocab("gender", "性别", ("male", "男"), ("female", "女"))

VOCABULARIES: dict[str, Vocabulary] = {
    v.name: v
    for v in (
        REGION_KIND,
        COMMUNITY_CATEGORY,
        PROPERTY_STATUS,
        ORG_TYPE,
        ORG_LEVEL,
        FORMATION,
        UNIT_KIND,
        COMMITTEE_KIND,
        MEMBER_CATEGORY,
        ROLE,
        GENDER,
    )
}


class Label(StrEnum):
    DISTRICT = "District"
    STREET = "Street"
    COMMUNITY = "Community"
    GRID = "Grid"
    ESTATE = "Estate"
    BUILDING = "Building"
    PARTY_ORG = "PartyOrg"
    UNIT = "Unit"
    PROPERTY_FIRM = "PropertyFirm"
    OWNERS_COMMITTEE = "OwnersCommittee"
    PERSON = "Person"


class Rel(StrEnum):
    PART_OF = "PART_OF"
    IN_GRID = "IN_GRID"
    REPORTS_TO = "REPORTS_TO"
    COVERS = "COVERS"
    BASED_IN = "BASED_IN"
    LOCATED_IN = "LOCATED_IN"
    MANAGES = "MANAGES"
    REPRESENTS = "REPRESENTS"
    MEMBER_OF = "MEMBER_OF"
    LIVES_IN = "LIVES_IN"
    WORKS_AT = "WORKS_AT"
    HOLDS = "HOLDS"
    REPORTED_TO = "REPORTED_TO"
    LIAISES = "LIAISES"
    PAIRED_WITH = "PAIRED_WITH"
    BELONGS_TO = "BELONGS_TO"
    HAD_FORM = "HAD_FORM"  # an org's type and level from a date (组织沿革): a link to itself
    SERVES = "SERVES"  # derived by the loader, never imported: see DERIVED
    POSTED_IN = "POSTED_IN"  # derived too


TERRITORY = (
    Label.DISTRICT,
    Label.STREET,
    Label.COMMUNITY,
    Label.GRID,
    Label.ESTATE,
    Label.BUILDING,
)
ORGANIZATIONS = (Label.PARTY_ORG, Label.UNIT, Label.PROPERTY_FIRM, Label.OWNERS_COMMITTEE)

# Where each post is held (HOLDS.role → the labels its org may have): a party post in a party
# org (a committee member or first secretary also in a community: 居委委员, 第一书记); a chair,
# vice chair or member in an owners' committee, a community's residents' committee or a unit; a
# manager in a firm or unit; a party guide (党建指导员) for an estate, a firm or a unit without
# an org; grid leaders and workers in a grid; building and unit (entrance) leaders in a
# building. A grid leader of an estate is no post a roster can mean.
POST_TARGETS: dict[str, tuple[Label, ...]] = {
    "secretary": (Label.PARTY_ORG,),
    "deputy_secretary": (Label.PARTY_ORG,),
    "committee_member": (Label.PARTY_ORG, Label.COMMUNITY),
    "part_time_member": (Label.PARTY_ORG,),
    "first_secretary": (Label.PARTY_ORG, Label.COMMUNITY),
    "chair": (Label.OWNERS_COMMITTEE, Label.COMMUNITY, Label.UNIT),
    "vice_chair": (Label.OWNERS_COMMITTEE, Label.COMMUNITY, Label.UNIT),
    "member": (Label.OWNERS_COMMITTEE, Label.COMMUNITY, Label.UNIT),
    "manager": (Label.PROPERTY_FIRM, Label.UNIT),
    "party_guide": (Label.ESTATE, Label.PROPERTY_FIRM, Label.UNIT),
    "grid_leader": (Label.GRID,),
    "grid_worker": (Label.GRID,),
    "building_leader": (Label.BUILDING,),
    "unit_leader": (Label.BUILDING,),
}

# An org's type is below its parent's (DESIGN §4): working committee > committee > general
# branch > branch > group, the order ORG_TYPE lists them in; and a group's parent is a branch or
# a general branch. The loader says it of the rows it loads; `rules` lists every org breaking it.
TYPE_RANK: dict[str, int] = {code: rank for rank, code in enumerate(ORG_TYPE.codes())}
GROUP_PARENTS = ("general_branch", "branch")


def type_below_parent(child: str, parent: str) -> bool:
    """Whether an org of type ``child`` may report to one of type ``parent``.

    >>> type_below_parent("branch", "general_branch"), type_below_parent("committee", "group")
    (True, False)
    >>> type_below_parent("group", "committee"), type_below_parent("committee", "committee")
    (False, False)
    """
    if child not in TYPE_RANK or parent not in TYPE_RANK:
        return True  # an unknown type is refused where it is written
    if child == "group":
        return parent in GROUP_PARENTS
    return TYPE_RANK[child] > TYPE_RANK[parent]


# Posts only a party member can hold: a roster naming a non-member (party_member false) in one
# is refused.
MEMBERS_ONLY_POSTS = ("secretary", "deputy_secretary")

if set(POST_TARGETS) != set(ROLE.codes()):  # the model checks itself as it loads
    raise ValueError(f"POST_TARGETS and the roles differ: {set(POST_TARGETS) ^ set(ROLE.codes())}")

# A region row's `kind` decides its label.
REGION_LABELS = {
    "district": Label.DISTRICT,
    "street": Label.STREET,
    "community": Label.COMMUNITY,
    "grid": Label.GRID,
}

# The parent of each territorial label is of one fixed kind.
PARENT_OF = {
    Label.STREET: Label.DISTRICT,
    Label.COMMUNITY: Label.STREET,
    Label.GRID: Label.COMMUNITY,
    Label.ESTATE: Label.COMMUNITY,
    Label.BUILDING: Label.ESTATE,
}


class Kind(StrEnum):
    """The type of a property's value, as stored in the graph."""

    TEXT = "text"
    INT = "int"
    BOOL = "bool"
    DATE = "date"  # ISO string, 'YYYY-MM-DD' or 'YYYY-MM' when only the month is known
    ENUM = "enum"
    PHONE = "phone"  # a mainland mobile or landline number, stored in one normal form


@dataclass(frozen=True)
class Prop:
    name: str
    kind: Kind = Kind.TEXT
    vocabulary: Vocabulary | None = None
    minimum: int | None = None
    maximum: int | None = None
    personal: bool = False  # personal data: masked unless the caller may read it

    def __post_init__(self) -> None:
        if not _IDENTIFIER.match(self.name):
            raise ValueError(f"not an identifier: {self.name}")


def _enum(name: str, vocabulary: Vocabulary) -> Prop:
    return Prop(name, Kind.ENUM, vocabulary)


def _count(name: str, maximum: int) -> Prop:
    return Prop(name, Kind.INT, minimum=0, maximum=maximum)


# The most a count can sensibly be — generous, so that no real roster is refused, and far below
# what would overflow a sum. A region's figures are read from one file whatever its kind, so
# they share the district's bounds (a city district of several million people); a single estate
# of 200,000 households or a building of 10,000 would already be a record.
_REGION_HOUSEHOLDS = _count("households", 20_000_000)
_REGION_POPULATION = _count("population", 100_000_000)


@dataclass(frozen=True)
class NodeType:
    label: Label
    zh: str
    properties: tuple[Prop, ...]

    def prop(self, name: str) -> Prop:
        for p in self.properties:
            if p.name == name:
                return p
        raise KeyError(name)


@dataclass(frozen=True)
class RelType:
    type: Rel
    zh: str
    sources: tuple[Label, ...]
    targets: tuple[Label, ...]
    properties: tuple[Prop, ...] = ()
    # A functional relationship has at most one target per source: a later load that names a
    # different target replaces the old one (a building moves to another grid).
    functional: bool = False
    # Relationship properties that, with the two ends, identify one relationship.
    key: tuple[str, ...] = ()


_ID = Prop("id")
_NAME = Prop("name")

NODES: dict[Label, NodeType] = {
    n.label: n
    for n in (
        NodeType(Label.DISTRICT, "区", (_ID, _NAME, _REGION_HOUSEHOLDS, _REGION_POPULATION)),
        NodeType(Label.STREET, "街道", (_ID, _NAME, _REGION_HOUSEHOLDS, _REGION_POPULATION)),
        NodeType(
            Label.COMMUNITY,
            "社区",
            (
                _ID,
                _NAME,
                _REGION_HOUSEHOLDS,
                _REGION_POPULATION,
                _enum("category", COMMUNITY_CATEGORY),
            ),
        ),
        NodeType(Label.GRID, "网格", (_ID, _NAME, _REGION_HOUSEHOLDS, _REGION_POPULATION)),
        NodeType(
            Label.ESTATE,
            "小区",
            (
                _ID,
                _NAME,
                _count("households", 200_000),
                Prop("built_year", Kind.INT, minimum=1900, maximum=2100),
                _enum("property_status", PROPERTY_STATUS),
            ),
        ),
        NodeType(Label.BUILDING, "楼栋", (_ID, _NAME, _count("households", 10_000))),
        NodeType(
            Label.PARTY_ORG,
            "党组织",
            (
                _ID,
                _NAME,
                _enum("type", ORG_TYPE),
                _enum("level", ORG_LEVEL),
                _enum("formation", FORMATION),
                Prop("founded", Kind.DATE),
                Prop("dissolved", Kind.DATE),  # 撤销: from this day on it counts nowhere
                Prop("term_start", Kind.DATE),  # the current term's start (本届任期开始)
                Prop("term_years", Kind.INT, minimum=1, maximum=10),  # overrides the default
            ),
        ),
        NodeType(Label.UNIT, "共建单位", (_ID, _NAME, _enum("kind", UNIT_KIND))),
        NodeType(
            Label.PROPERTY_FIRM,
            "物业企业",
            (_ID, _NAME, Prop("star_rating", Kind.INT, minimum=1, maximum=5)),
        ),
        NodeType(
            Label.OWNERS_COMMITTEE,
            "业委会",
            (
                _ID,
                _NAME,
                _enum("kind", COMMITTEE_KIND),
                Prop("founded", Kind.DATE),
                Prop("dissolved", Kind.DATE),
            ),
        ),
        NodeType(
            Label.PERSON,
            "人员",
            (
                _ID,
                _NAME,
                _enum("gender", GENDER),
                Prop("birth_year", Kind.INT, minimum=1900, maximum=2100),
                Prop("phone", Kind.PHONE, personal=True),
                Prop("party_member", Kind.BOOL),
                _enum("member_category", MEMBER_CATEGORY),
                Prop("joined_party", Kind.DATE),
            ),
        ),
    )
}

_SINCE = Prop("since", Kind.DATE)
_UNTIL = Prop("until", Kind.DATE)  # the day it ended: current only before it
_COVERABLE = (Label.STREET, Label.COMMUNITY, Label.GRID, Label.ESTATE, Label.BUILDING)

RELATIONSHIPS: dict[Rel, RelType] = {
    r.type: r
    for r in (
        RelType(
            Rel.PART_OF,
            "隶属",
            (Label.STREET, Label.COMMUNITY, Label.GRID, Label.ESTATE, Label.BUILDING),
            (Label.DISTRICT, Label.STREET, Label.COMMUNITY, Label.ESTATE),
            functional=True,
        ),
        RelType(Rel.IN_GRID, "所在网格", (Label.BUILDING,), (Label.GRID,), functional=True),
        RelType(
            Rel.REPORTS_TO, "上级党组织", (Label.PARTY_ORG,), (Label.PARTY_ORG,), functional=True
        ),
        # A cover may be dated (the covers table); one from the party_orgs column is not, and
        # holds while the org exists.
        RelType(Rel.COVERS, "覆盖", (Label.PARTY_ORG,), _COVERABLE, (_SINCE, _UNTIL)),
        RelType(
            Rel.BASED_IN,
            "所在单位",
            (Label.PARTY_ORG,),
            (Label.UNIT, Label.PROPERTY_FIRM),
            functional=True,
        ),
        RelType(Rel.LOCATED_IN, "所在街道", (Label.UNIT,), (Label.STREET,), functional=True),
        # An org that covers no place and is based nowhere (a district's 物业行业党委) belongs
        # to the region it works for, and counts in its scope.
        RelType(
            Rel.BELONGS_TO,
            "所属区域",
            (Label.PARTY_ORG,),
            (Label.DISTRICT, Label.STREET, Label.COMMUNITY),
            functional=True,
        ),
        RelType(Rel.MANAGES, "物业服务", (Label.PROPERTY_FIRM,), (Label.ESTATE,), (_SINCE, _UNTIL)),
        RelType(
            Rel.REPRESENTS,
            "代表小区",
            (Label.OWNERS_COMMITTEE,),
            (Label.ESTATE,),
            functional=True,
        ),
        RelType(
            Rel.MEMBER_OF,
            "组织关系",
            (Label.PERSON,),
            (Label.PARTY_ORG,),
            (_SINCE,),
            functional=True,
        ),
        RelType(Rel.LIVES_IN, "居住", (Label.PERSON,), (Label.BUILDING,), functional=True),
        RelType(
            Rel.WORKS_AT,
            "工作单位",
            (Label.PERSON,),
            (Label.UNIT, Label.PROPERTY_FIRM),
            functional=True,
        ),
        RelType(
            Rel.HOLDS,
            "任职",
            (Label.PERSON,),
            ORGANIZATIONS + TERRITORY,
            (
                _enum("role", ROLE),
                _SINCE,
                _UNTIL,
                Prop("part_time", Kind.BOOL),
            ),
            key=("role",),
        ),
        RelType(Rel.REPORTED_TO, "双报到", (Label.PERSON,), (Label.COMMUNITY,), (_SINCE, _UNTIL)),
        RelType(
            Rel.LIAISES,
            "包联",
            (Label.PERSON, Label.UNIT),
            (Label.COMMUNITY, Label.ESTATE, Label.GRID),
            (Prop("scheme"), _SINCE, _UNTIL),
        ),
        # The org had this type and level from `since` (组织沿革, 升格): a link from the org to
        # itself, one per date. The party_orgs row is the present: it holds from the latest.
        RelType(
            Rel.HAD_FORM,
            "组织沿革",
            (Label.PARTY_ORG,),
            (Label.PARTY_ORG,),
            (_SINCE, _enum("type", ORG_TYPE), _enum("level", ORG_LEVEL)),
            key=("since",),
        ),
        RelType(
            Rel.PAIRED_WITH,
            "结对共建",
            (Label.UNIT,),
            (Label.COMMUNITY, Label.ESTATE),
            (_SINCE, _UNTIL, Prop("agreement")),
        ),
    )
}


# Terms (换届). Elected party organizations serve a term, after which they must hold an
# election: committees, and every org at the community level, for five years; general branches
# and branches for three (the Party Constitution, art. 30, and the regulations on elections in
# grassroots organizations). A working committee (党工委) is appointed and a group (党小组) is
# not elected, so neither has a term. An org's own term_years overrides these.
ELECTED_TYPES = ("committee", "general_branch", "branch")
TERM_YEARS_AT_LEVEL = {"community": 5}
TERM_YEARS_OF_TYPE = {"committee": 5, "general_branch": 3, "branch": 3}


def term_years(org_type: str, level: str | None, own: int | None = None) -> int | None:
    """How many years an org's term runs: its own figure, else by level, else by type.

    >>> term_years("branch", "estate"), term_years("general_branch", "community")
    (3, 5)
    >>> term_years("group", "building") is None
    True
    """
    if own:
        return own
    if org_type not in ELECTED_TYPES:
        return None
    return TERM_YEARS_AT_LEVEL.get(level or "") or TERM_YEARS_OF_TYPE[org_type]


@dataclass(frozen=True)
class DerivedRel:
    """A relationship the loader works out from the imported ones after every load, so that a
    question reaches in one hop what it would otherwise find by walking the graph."""

    type: Rel
    zh: str
    sources: tuple[Label, ...]
    targets: tuple[Label, ...]
    meaning: str


DERIVED: tuple[DerivedRel, ...] = (
    DerivedRel(
        Rel.SERVES,
        "所属范围",
        (Label.PARTY_ORG,),
        (Label.DISTRICT, Label.STREET, Label.COMMUNITY),
        "the org counts in this district's, street's or community's scope: it, or an org it "
        "reports to at any depth, covers a place there, is based in a firm managing one of its "
        "estates, is based in a unit located in one of its streets, or belongs to the region "
        "(`BELONGS_TO`). The link carries the `since` and `until` of what makes it true — a "
        "dated cover, a management contract, and through an org above, that org's founding "
        "and dissolution — and counts only while they hold",
    ),
    DerivedRel(
        Rel.POSTED_IN,
        "任职范围",
        (Label.PERSON,),
        (Label.DISTRICT, Label.STREET, Label.COMMUNITY),
        "the person holds two posts or more (`HOLDS`, on any day) and one of them, on some day, "
        "is on an organization of this district's, street's or community's scope as the "
        "cross-appointments count it: a party org serving it (`SERVES`), a committee "
        "representing or a firm managing one of its estates, one of its communities, grids or "
        "buildings, or a unit located in one of its streets. Undated: the question still checks "
        "the post and what places it on the day it asks",
    ),
)


def _member_steps(label: Label, prefix: str, days: str) -> dict[tuple[Label, str], str]:
    """The three properties of a count of party members by step (graph.derived): the days it
    changes on (``days`` says of what), the member category and the change on each."""
    return {
        (label, f"{prefix}_days"): days,
        (label, f"{prefix}_kinds"): "the member category of each change, in the same order "
        "('' for none)",
        (label, f"{prefix}_changes"): "the change on each day, in the same order",
    }


def _span(label: Label, prefix: str, first: str, last: str) -> dict[tuple[Label, str], str]:
    """The two properties of a span (graph.derived): the first day of what ``first`` says and
    the day after the last span of it (``last`` says in which)."""
    return {
        (label, f"{prefix}_since"): f"the first day {first}; '' for before any day; absent if "
        "never",
        (label, f"{prefix}_until"): f"the day after the last span in which {last}; '~' (after "
        "every day) when that span does not end; absent if never",
    }


# Properties the loader copies onto a node from its relationships, beside the derived links.
DERIVED_PROPERTIES: dict[tuple[Label, str], str] = {
    (Label.PARTY_ORG, "form_since"): "the dates of the org's forms (`HAD_FORM.since`), in order",
    (Label.PARTY_ORG, "form_type"): "the type of each form, in the same order",
    (Label.PARTY_ORG, "form_level"): "the level of each form, in the same order",
    **_member_steps(
        Label.PARTY_ORG,
        "member",
        "the days on which the org's count of party members changes (`MEMBER_OF` and the "
        "members' `joined_party`), in order; '' for the count before any day",
    ),
    (Label.PARTY_ORG, "size_days"): "for an org that is a branch or a general branch on some "
    "day: the days on which its members (its own and its groups' directly below) or its subtree "
    "members (of every org at or below it), counted as the size rules count them, change, in "
    "order; '' for the counts before any day; absent for other orgs",
    (Label.PARTY_ORG, "sized"): "true for an org that is a branch or a general branch on some "
    "day (its row's type or one of its forms); absent otherwise",
    (Label.PARTY_ORG, "termed"): "true for an org that may have a term (换届) on some day: "
    "its own `term_years`, or a type elected for a term in its row or one of its forms; absent "
    "otherwise",
    (Label.PARTY_ORG, "size_own"): "the change of its members on each day, in the same order",
    (Label.PARTY_ORG, "size_subtree"): "the change of its subtree members on each day, in the "
    "same order",
    **_member_steps(
        Label.ESTATE,
        "unattached",
        "the days on which the count of the estate's residents who are party members of no "
        "existing org (组织关系未落实) changes (their `joined_party`, `MEMBER_OF` and its org's "
        "founding and dissolution), in order; '' for the count before any day",
    ),
    **{
        (label, f"unattached_{part}"): f"the sum of the `unattached_{part}` of the estates below it"
        for label in (Label.COMMUNITY, Label.STREET, Label.DISTRICT)
        for part in ("days", "kinds", "changes")
    },
    **_member_steps(
        Label.BUILDING,
        "resident",
        "the days on which the count of the party members living in the building (`LIVES_IN`, "
        "their `joined_party`) changes, in order; '' for the count before any day",
    ),
    (Label.OWNERS_COMMITTEE, "seat_days"): "the days on which the count of the committee's "
    "members (chair, vice chair and member posts, `HOLDS`), or of the party members among them, "
    "changes, in order; '' for the count before any day",
    (Label.OWNERS_COMMITTEE, "seat_kinds"): "what each change counts, in the same order: "
    "'member' (a member of the committee) or 'party' (one who is a party member)",
    (Label.OWNERS_COMMITTEE, "seat_changes"): "the change on each day, in the same order",
    (Label.COMMUNITY, "report_days"): "the days on which the count of the in-service party "
    "members reported to the community (`REPORTED_TO`, their `member_category` and "
    "`joined_party`) changes, in order; '' for the count before any day",
    (Label.COMMUNITY, "report_changes"): "the change on each day, in the same order",
    (Label.PARTY_ORG, "secretary_days"): "the days on which the count of the org's current "
    "secretary posts (`HOLDS` with role secretary, by their `since` and `until`) changes, in "
    "order; '' for the count before any day",
    (Label.PARTY_ORG, "secretary_changes"): "the change on each day, in the same order",
    (Label.PARTY_ORG, "secretary_ends"): "the days on which a secretary post of the org ended "
    "(their `until`), in order; absent if none did",
    **_span(
        Label.PARTY_ORG,
        "vacancy",
        "the org, existing and not a group, has no secretary post current (by its founding, "
        "dissolution, forms and secretary steps)",
        "it has none",
    ),
    **_span(
        Label.PARTY_ORG,
        "hierarchy",
        "the org, existing, breaks a hierarchy rule (no parent at a territorial level, a level "
        "or type not below its parent's, by its own and its parent's founding, dissolution and "
        "forms)",
        "it breaks one",
    ),
    (Label.ESTATE, "triad_days"): "the days on which the estate's triad (三方联动: a covering "
    "party org, an existing owners' committee and a managing firm, `COVERS`, `REPRESENTS`, "
    "`MANAGES`) begins, ends, or becomes linked or unlinked by a person holding posts on two "
    "of them (`HOLDS`), in order; '' for before any day; absent if it never has one",
    (Label.ESTATE, "triad_states"): "the state from each day, in the same order: 0 no triad, 1 "
    "a triad nobody links, 2 a linked triad",
    (Label.PERSON, "many_posts"): "true for one holding two posts or more (`HOLDS`, on any "
    "day); absent otherwise",
    (Label.PERSON, "outside_estates"): "true for a party member living in no estate (no "
    "`LIVES_IN`, or a building with no `PART_OF`); absent otherwise",
    (Label.PERSON, "home_community"): "for an in-service member (`member_category`) or one who "
    "reports to a community (`REPORTED_TO`): the id of the community they live in (`LIVES_IN` a "
    "building `PART_OF` an estate `PART_OF` it); absent otherwise",
    (Label.PERSON, "reports_away"): "true for one with a home community who reports (on any "
    "day) to another community; absent otherwise",
    **_span(
        Label.PERSON,
        "unreported",
        "an in-service member is a party member (`joined_party`) with no current report "
        "(`REPORTED_TO`)",
        "they are",
    ),
}
# Their names: kept for the questions, never shown as an entity's own properties.
DERIVED_PROPERTY_NAMES = frozenset(prop for _, prop in DERIVED_PROPERTIES)


# Sides of a cross-appointment (DESIGN §2): a person holding current posts in organizations of
# two or more different sides.
SIDES: dict[Label, str] = {
    Label.PARTY_ORG: "party",
    Label.OWNERS_COMMITTEE: "owners",
    Label.PROPERTY_FIRM: "property",
    Label.COMMUNITY: "community",
    Label.GRID: "community",
    Label.BUILDING: "community",
    Label.UNIT: "unit",
}


@dataclass(frozen=True)
class Index:
    """A property index the questions need, beyond the uniqueness constraints on id."""

    label: Label
    prop: str


INDEXES: tuple[Index, ...] = (
    Index(Label.PARTY_ORG, "type"),
    Index(Label.PARTY_ORG, "level"),
    Index(Label.PERSON, "member_category"),
    Index(Label.ESTATE, "property_status"),
    Index(Label.PARTY_ORG, "hierarchy_until"),  # the few orgs rules_integrity reads
    Index(Label.PARTY_ORG, "vacancy_until"),  # the orgs rules_vacancies reads
    Index(Label.PARTY_ORG, "sized"),  # the branches and general branches rules_size reads
    Index(Label.PARTY_ORG, "termed"),  # the orgs that may have a term, which terms reads
    Index(Label.PERSON, "outside_estates"),  # the few party members census_unattached walks
    Index(Label.PERSON, "home_community"),  # the in-service members and reporters of a scope
    Index(Label.PERSON, "reports_away"),  # the members reported away from home
    Index(Label.PERSON, "unreported_until"),  # the in-service members who may report nowhere
    Index(Label.PERSON, "many_posts"),  # the candidates for cross-appointments, unscoped
)
