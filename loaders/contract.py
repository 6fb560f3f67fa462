"""The import contract (DESIGN §3): which files a dataset has and what their columns mean.

Each column either carries a property of the model (parsed by its kind) or references another
node by id (and so becomes a relationship). Everything about a property — its kind, its
enumeration, its bounds — comes from ``graph.model``; this module only says where it sits.
"""

from __future__ import annotations

from dataclasses import dataclass

from orgnet.graph.model import (
    NODES,
    ORGANIZATIONS,
    REGION_KIND,
    RELATIONSHIPS,
    TERRITORY,
    Kind,
    Label,
    Prop,
    Rel,
)

# Chinese header aliases, from the glossary. Where one alias could name two columns of one
# file ('类别' in regions: kind or category), the column listed first in the file wins.
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("编号", "代码", "ID"),
    "name": ("名称", "姓名"),
    "kind": ("层级类别", "类别"),
    "type": ("组织类型", "类型"),
    "level": ("层级",),
    "parent_id": ("上级编号", "上级党组织编号", "所属上级"),
    "households": ("户数",),
    "population": ("人口",),
    "category": ("社区类别", "类别"),
    "community_id": ("所属社区编号",),
    "estate_id": ("所属小区编号",),
    "grid_id": ("所属网格编号",),
    "street_id": ("所属街道编号",),
    "built_year": ("建成年份",),
    "property_status": ("物业状态",),
    "formation": ("组建方式",),
    "founded": ("成立时间",),
    "covers": ("覆盖范围",),
    "host_id": ("所在单位编号",),
    "star_rating": ("星级",),
    "firm_id": ("物业企业编号",),
    "since": ("起始时间", "开始时间"),
    "until": ("结束时间", "离任时间"),
    "gender": ("性别",),
    "birth_year": ("出生年份",),
    "phone": ("联系电话", "手机"),
    "party_member": ("是否党员",),
    "member_category": ("党员类别",),
    "party_org_id": ("所在党组织编号",),
    "building_id": ("居住楼栋编号",),
    "employer_id": ("工作单位编号",),
    "joined_party": ("入党时间",),
    "person_id": ("人员编号",),
    "org_id": ("任职组织编号", "党组织编号"),
    "role": ("职务",),
    "part_time": ("是否兼职",),
    "unit_id": ("单位编号",),
    "target_id": ("对象编号", "结对对象编号", "覆盖对象编号"),
    "agreement": ("协议编号",),
    "liaison_id": ("包联人或单位编号",),
    "scheme": ("包联机制",),
    "region_id": ("所属区域编号",),
    "term_start": ("本届任期开始", "换届时间"),
    "term_years": ("任期年限",),
    "member_since": ("组织关系转入时间",),
    "dissolved": ("撤销时间",),
}


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    prop: Prop | None = None  # the property this column sets
    refs: tuple[Label, ...] = ()  # or: the labels an id in this column may name
    rel: Rel | None = None  # the relationship a reference becomes (from this row's node)
    many: bool = False  # several ids separated by ';'
    link: Rel | None = None  # the property is of this row's link of that type, not its node
    zh: str = ""  # the Chinese header of this file's column, when not the name's first alias

    @property
    def header(self) -> str:
        """The Chinese header the template writes."""
        return self.zh or ALIASES[self.name][0]


@dataclass(frozen=True)
class Edge:
    """A file whose rows are relationships: source column -[rel]-> target column."""

    rel: Rel
    source: str
    target: str


@dataclass(frozen=True)
class FileSpec:
    name: str
    zh: str
    columns: tuple[Column, ...]
    label: Label | None = None  # the label of the rows' nodes (regions: decided by kind)
    edge: Edge | None = None
    # Rows reference other rows of the same file (a region's parent, an org's parent), so their
    # relationships are written after all of the file's nodes.
    self_referencing: bool = False

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


def _props(label: Label, *names: str, required: tuple[str, ...] = ()) -> tuple[Column, ...]:
    node = NODES[label]
    return tuple(Column(n, n in required or n == "id", node.prop(n)) for n in names)


def _rel_props(rel: Rel, *names: str, required: tuple[str, ...] = ("role",)) -> tuple[Column, ...]:
    by_name = {p.name: p for p in RELATIONSHIPS[rel].properties}
    return tuple(Column(n, n in required, by_name[n]) for n in names)


_REGION_KIND = Prop("kind", Kind.ENUM, REGION_KIND)
_SINCE = Prop("since", Kind.DATE)
_TERRITORY_ORGS = ORGANIZATIONS + TERRITORY

FILES: tuple[FileSpec, ...] = (
    FileSpec(
        "regions",
        "区域",
        (
            Column("id", True, NODES[Label.COMMUNITY].prop("id")),
            Column("name", True, NODES[Label.COMMUNITY].prop("name")),
            Column("kind", True, _REGION_KIND),
            Column(
                "parent_id",
                refs=(Label.DISTRICT, Label.STREET, Label.COMMUNITY),
                rel=Rel.PART_OF,
            ),
            *_props(Label.COMMUNITY, "households", "population", "category"),
        ),
        self_referencing=True,
    ),
    FileSpec(
        "estates",
        "小区",
        (
            *_props(Label.ESTATE, "id", "name", required=("name",)),
            Column("community_id", True, refs=(Label.COMMUNITY,), rel=Rel.PART_OF),
            *_props(Label.ESTATE, "households", "built_year", "property_status"),
        ),
        label=Label.ESTATE,
    ),
    FileSpec(
        "buildings",
        "楼栋",
        (
            *_props(Label.BUILDING, "id", "name", required=("name",)),
            Column("estate_id", True, refs=(Label.ESTATE,), rel=Rel.PART_OF),
            Column("grid_id", refs=(Label.GRID,), rel=Rel.IN_GRID),
            *_props(Label.BUILDING, "households"),
        ),
        label=Label.BUILDING,
    ),
    FileSpec(
        "units",
        "共建单位",
        (
            *_props(Label.UNIT, "id", "name", "kind", required=("name", "kind")),
            Column("street_id", refs=(Label.STREET,), rel=Rel.LOCATED_IN),
        ),
        label=Label.UNIT,
    ),
    FileSpec(
        "property_firms",
        "物业企业",
        _props(Label.PROPERTY_FIRM, "id", "name", "star_rating", required=("name",)),
        label=Label.PROPERTY_FIRM,
    ),
    FileSpec(
        "party_orgs",
        "党组织",
        (
            *_props(
                Label.PARTY_ORG, "id", "name", "type", "level", required=("name", "type", "level")
            ),
            Column("parent_id", refs=(Label.PARTY_ORG,), rel=Rel.REPORTS_TO),
            *_props(Label.PARTY_ORG, "formation", "founded", "dissolved"),
            Column("covers", refs=RELATIONSHIPS[Rel.COVERS].targets, rel=Rel.COVERS, many=True),
            Column("host_id", refs=(Label.UNIT, Label.PROPERTY_FIRM), rel=Rel.BASED_IN),
            Column("region_id", refs=RELATIONSHIPS[Rel.BELONGS_TO].targets, rel=Rel.BELONGS_TO),
            *_props(Label.PARTY_ORG, "term_start", "term_years"),
        ),
        label=Label.PARTY_ORG,
        self_referencing=True,
    ),
    # Dated covering (覆盖关系): beside the party_orgs column, whose covers hold while the org
    # exists, a cover that began or ended on a day of its own.
    FileSpec(
        "covers",
        "覆盖关系",
        (
            Column("org_id", True, refs=(Label.PARTY_ORG,), zh="党组织编号"),
            Column("target_id", True, refs=RELATIONSHIPS[Rel.COVERS].targets, zh="覆盖对象编号"),
            *_rel_props(Rel.COVERS, "since", "until"),
        ),
        edge=Edge(Rel.COVERS, "org_id", "target_id"),
    ),
    # An org's type and level over time (组织沿革): what it was from each date; its party_orgs
    # row is what it is now.
    FileSpec(
        "org_history",
        "组织沿革",
        (
            Column("org_id", True, refs=(Label.PARTY_ORG,), zh="党组织编号"),
            *_rel_props(
                Rel.HAD_FORM, "since", "type", "level", required=("since", "type", "level")
            ),
        ),
        edge=Edge(Rel.HAD_FORM, "org_id", "org_id"),
    ),
    FileSpec(
        "owners_committees",
        "业委会",
        (
            *_props(Label.OWNERS_COMMITTEE, "id", "name", required=("name",)),
            Column("estate_id", True, refs=(Label.ESTATE,), rel=Rel.REPRESENTS),
            *_props(Label.OWNERS_COMMITTEE, "kind", "founded", "dissolved"),
        ),
        label=Label.OWNERS_COMMITTEE,
    ),
    FileSpec(
        "persons",
        "人员",
        (
            *_props(
                Label.PERSON,
                "id",
                "name",
                "gender",
                "birth_year",
                "phone",
                "party_member",
                "member_category",
                required=("name",),
            ),
            Column("party_org_id", refs=(Label.PARTY_ORG,), rel=Rel.MEMBER_OF),
            Column("building_id", refs=(Label.BUILDING,), rel=Rel.LIVES_IN),
            Column("employer_id", refs=(Label.UNIT, Label.PROPERTY_FIRM), rel=Rel.WORKS_AT),
            *_props(Label.PERSON, "joined_party"),
            # The membership's own date (组织关系转入时间): a property of MEMBER_OF.
            Column("member_since", prop=_SINCE, link=Rel.MEMBER_OF),
        ),
        label=Label.PERSON,
    ),
    FileSpec(
        "management",
        "物业服务",
        (
            Column("firm_id", True, refs=(Label.PROPERTY_FIRM,)),
            Column("estate_id", True, refs=(Label.ESTATE,)),
            *_rel_props(Rel.MANAGES, "since", "until"),
        ),
        edge=Edge(Rel.MANAGES, "firm_id", "estate_id"),
    ),
    FileSpec(
        "posts",
        "任职",
        (
            Column("person_id", True, refs=(Label.PERSON,)),
            Column("org_id", True, refs=_TERRITORY_ORGS),
            *_rel_props(Rel.HOLDS, "role", "since", "until", "part_time"),
        ),
        edge=Edge(Rel.HOLDS, "person_id", "org_id"),
    ),
    FileSpec(
        "pairings",
        "结对共建",
        (
            Column("unit_id", True, refs=(Label.UNIT,)),
            Column("target_id", True, refs=RELATIONSHIPS[Rel.PAIRED_WITH].targets),
            *_rel_props(Rel.PAIRED_WITH, "since", "until", "agreement"),
        ),
        edge=Edge(Rel.PAIRED_WITH, "unit_id", "target_id"),
    ),
    FileSpec(
        "reports",
        "双报到",
        (
            Column("person_id", True, refs=(Label.PERSON,)),
            Column("community_id", True, refs=(Label.COMMUNITY,)),
            *_rel_props(Rel.REPORTED_TO, "since", "until"),
        ),
        edge=Edge(Rel.REPORTED_TO, "person_id", "community_id"),
    ),
    FileSpec(
        "liaisons",
        "包联",
        (
            Column("liaison_id", True, refs=RELATIONSHIPS[Rel.LIAISES].sources),
            Column("target_id", True, refs=RELATIONSHIPS[Rel.LIAISES].targets),
            *_rel_props(Rel.LIAISES, "scheme", "since", "until"),
        ),
        edge=Edge(Rel.LIAISES, "liaison_id", "target_id"),
    ),
)

FILES_BY_NAME = {f.name: f for f in FILES}
# Accepted file stems and sheet names → canonical file name.
FILE_ALIASES = {**{f.name: f.name for f in FILES}, **{f.zh: f.name for f in FILES}}


def resolve_headers(spec: FileSpec, headers: list[str]) -> dict[int, str]:
    """Map header positions to column names (English names first, then Chinese aliases)."""
    by_position: dict[int, str] = {}
    claimed: set[str] = set()
    cleaned = [h.strip().lstrip("\ufeff") if h else "" for h in headers]
    names = {c.name for c in spec.columns}
    for i, h in enumerate(cleaned):
        if h in names and h not in claimed:
            by_position[i] = h
            claimed.add(h)
    for i, h in enumerate(cleaned):
        if i in by_position or not h:
            continue
        for column in spec.columns:
            if column.name not in claimed and h in ALIASES[column.name]:
                by_position[i] = column.name
                claimed.add(column.name)
                break
    return by_position
