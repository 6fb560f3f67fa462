"""Chinese and English labels for the columns and codes the questions return; the one place
where the edge (CLI, report) turns codes into words."""

from __future__ import annotations

from orgnet.graph.model import (
    COMMITTEE_KIND,
    MEMBER_CATEGORY,
    NODES,
    ORG_LEVEL,
    ORG_TYPE,
    PROPERTY_STATUS,
    RELATIONSHIPS,
    ROLE,
    UNIT_KIND,
    Label,
    Rel,
    Vocabulary,
)
from orgnet.queries.coverage import CoverageSummary

# column or figure → (中文, English)
COLUMNS: dict[str, tuple[str, str]] = {
    "scope": ("范围", "scope"),
    "as_of": ("截至日期", "as of"),
    "estates": ("小区", "estates"),
    "estate": ("小区", "estate"),
    "estate_id": ("小区编号", "estate id"),
    "estate_ids": ("小区编号", "estate ids"),
    "community": ("社区", "community"),
    "community_id": ("社区编号", "community id"),
    "street": ("街道", "street"),
    "street_id": ("街道编号", "street id"),
    "grid": ("网格", "grid"),
    "grid_id": ("网格编号", "grid id"),
    "building": ("楼栋", "building"),
    "building_id": ("楼栋编号", "building id"),
    "buildings": ("楼栋数", "buildings"),
    "households": ("户数", "households"),
    "members": ("党员数", "members"),
    "party_members": ("其中党员", "of them party members"),
    "committee_members": ("成员数", "members"),
    "work_covered": ("党的工作覆盖", "work-covered"),
    "org_covered": ("党的组织覆盖", "org-covered"),
    "org_rate": ("组织覆盖率", "org coverage"),
    "work_rate": ("工作覆盖率", "work coverage"),
    "orgs_by_type": ("小区党组织", "estate orgs by type"),
    "actionable": ("应建未建", "actionable"),
    "firm": ("物业企业", "property firm"),
    "firm_id": ("企业编号", "firm id"),
    "firm_ids": ("物业企业", "firms"),
    "star_rating": ("红色物业星级", "star rating"),
    "property_status": ("物业状态", "property status"),
    "fallback": ("兜底管理", "fallback model"),
    "committee": ("业委会/物管会", "committee"),
    "committee_id": ("委员会编号", "committee id"),
    "committee_ids": ("业委会/物管会", "committees"),
    "kind": ("类别", "kind"),
    "share": ("党员占比", "party share"),
    "org": ("党组织", "party org"),
    "org_id": ("党组织编号", "org id"),
    "org_ids": ("党组织", "party orgs"),
    "orgs": ("组织数", "orgs"),
    "type": ("组织类型", "type"),
    "level": ("层级", "level"),
    "parent_id": ("上级党组织", "parent"),
    "parent_level": ("上级层级", "parent level"),
    "parent_type": ("上级组织类型", "parent type"),
    "last_until": ("上任书记离任", "last secretary left"),
    "subtree_members": ("下辖党员数", "members in subtree"),
    "rule": ("建议", "rule"),
    "problem": ("问题", "problem"),
    "category": ("类别", "category"),
    "secretaries": ("书记", "secretaries"),
    "units": ("结对单位", "paired units"),
    "unit": ("单位", "unit"),
    "unit_id": ("单位编号", "unit id"),
    "units_per_10k": ("每万户结对单位", "units per 10k households"),
    "members_per_1k": ("每千户报到党员", "members per 1k households"),
    "gini": ("基尼系数", "Gini"),
    "cv": ("变异系数", "coefficient of variation"),
    "none": ("为零的社区", "communities with none"),
    "top_decile": ("最高十分位社区", "top decile"),
    "person": ("姓名", "person"),
    "person_id": ("人员编号", "person id"),
    "phone": ("联系电话", "phone"),
    "employer": ("工作单位", "employer"),
    "employer_id": ("单位编号", "employer id"),
    "lives_in": ("居住社区", "lives in"),
    "lives_in_id": ("居住社区编号", "lives in (id)"),
    "reported_to": ("报到社区", "reported to"),
    "reported_to_id": ("报到社区编号", "reported to (id)"),
    "since": ("起始日期", "since"),
    "max_per_unit": ("每单位最多结对", "max communities per unit"),
    "across_streets": ("允许跨街道", "across streets"),
    "gini_before": ("调整前基尼系数", "Gini before"),
    "gini_after": ("调整后基尼系数", "Gini after"),
    "from_id": ("原结对社区编号", "from (id)"),
    "to_id": ("新结对社区编号", "to (id)"),
    "from_community": ("原结对社区", "from"),
    "to_community": ("新结对社区", "to"),
    "change": ("调整", "change"),
    "units_before": ("调整前结对单位", "units before"),
    "units_after": ("调整后结对单位", "units after"),
    "depth": ("层次", "depth"),
    "via": ("起点方式", "reached by"),
    "start": ("起点", "start"),
    "source": ("起点", "from"),
    "target": ("终点", "to"),
    "hops": ("步数", "hops"),
    "nodes": ("路径", "path"),
    "rels": ("关系", "relationships"),
    "party_member": ("党员", "party member"),
    "sides": ("任职方", "sides"),
    "pattern": ("交叉任职类型", "pattern"),
    "posts": ("职务", "posts"),
    "persons": ("人数", "persons"),
    "linked_by": ("联动人员", "linked by"),
    "linked": ("已联动", "linked"),
    "triads_linked": ("已联动小区", "triads linked"),
    "cut_off": ("断开的组织", "organizations cut off"),
    "pairs": ("经过的节点对", "pairs through"),
    "actionable_estates": ("应建未建小区", "actionable gaps"),
    "sampled": ("抽样估算", "sampled"),
    "undefined": ("无法计算的原因", "undefined because"),
    "reason": ("未提出调整的原因", "no moves because"),
    "gini_with_idle": ("含闲置单位后基尼系数", "Gini with idle units paired"),
    "units_with_idle": ("含闲置单位", "units with idle paired"),
    "status": ("状态", "status"),
    "term_start": ("本届任期开始", "term start"),
    "term_years": ("任期年限", "term years"),
    "term_end": ("任期届满", "term ends"),
    "parent": ("上级党组织名称", "parent org"),
    "reminders": ("提醒人（上级党组织书记）", "to remind (parent's secretaries)"),
    "within": ("提醒期限", "window"),
    "until": ("截止日期", "until"),
    "overdue": ("逾期未换届", "overdue"),
    "due": ("即将到期", "due"),
    "missing": ("未记录任期", "no term recorded"),
    "below": ("占比低于", "below"),
    "seed_share": ("参考占比（文章数据）", "seed article's share"),
    "below_count": ("低于阈值的业委会", "committees below"),
    "unstaffed": ("无在任成员的业委会", "committees with no current member"),
    "committees": ("业委会数", "committees"),
}

# question (a gap list by its kind) → (中文, English): the title of its answer in a table, a
# workbook, a download and the report's section
TITLES: dict[str, tuple[str, str]] = {
    "coverage": ("覆盖概况", "coverage"),
    "gaps.estates": ("未建党组织的小区", "estates without a party org"),
    "gaps.buildings": ("未建楼栋党小组的楼栋", "buildings without a group"),
    "gaps.grids": ("未建网格党支部的网格", "grids without a branch"),
    "gaps.firms": ("未实现红色物业的物业企业", "firms without red property"),
    "gaps.property": ("无物业管理的小区", "estates without a property firm"),
    "gaps.owners": ("未成立业委会（物管会）的小区", "estates without an owners' committee"),
    "census": ("党组织和党员统计", "census"),
    "rules": ("组织设置规范", "rules"),
    "owners": ("业委会党员占比", "party share of owners' committees"),
    "terms": ("换届提醒", "terms"),
    "pairing": ("结对共建与双报到均衡", "pairing balance"),
    "rebalance": ("结对调整方案", "rebalancing"),
    "chain": ("组织联系链", "chain"),
    "path": ("联系路径", "paths"),
    "cross": ("交叉任职", "cross-appointments"),
    "brokers": ("关键联系人", "brokers"),
    "report": ("覆盖情况报告", "coverage report"),
}

# section (a list in a result) → (中文, English)
SECTIONS: dict[str, tuple[str, str]] = {
    "rows": ("明细", "rows"),
    "vacancies": ("书记空缺", "vacancies"),
    "size": ("规模调整", "size rules"),
    "integrity": ("隶属关系问题", "hierarchy integrity"),
    "orgs": ("党组织", "party orgs"),
    "members": ("党员", "members"),
    "secretaries": ("书记", "secretaries"),
    "communities": ("各社区", "communities"),
    "idle_units": ("未结对单位", "idle units"),
    "unreported": ("未报到在职党员", "unreported in-service members"),
    "mismatched": ("报到与居住不一致", "reported elsewhere"),
    "moves": ("调整方案", "moves"),
    "links": ("联系链", "chain"),
    "paths": ("联系路径", "paths"),
    "patterns": ("交叉任职类型", "patterns"),
    "persons": ("交叉任职人员", "cross-appointed persons"),
    "triad_gaps": ("三方联动缺口", "triad gaps"),
    "brokers": ("关键联系人", "brokers"),
    "central": ("中介中心度", "betweenness"),
    "streets": ("各街道", "streets"),
    "estate_gaps": TITLES["gaps.estates"],
    "building_gaps": TITLES["gaps.buildings"],
    "grid_gaps": TITLES["gaps.grids"],
    "firm_gaps": TITLES["gaps.firms"],
    "property_gaps": TITLES["gaps.property"],
    "owners_gaps": TITLES["gaps.owners"],
    "owners_share": ("业委会党员占比", "party share of committees"),
    "owners": ("业委会党员占比", "party share of committees"),
    "summary": ("概况", "summary"),
    "rules": ("规范", "rules"),
    "census": ("统计", "census"),
    "pairing": ("结对", "pairing"),
    "cross": ("交叉任职", "cross"),
    "units": ("结对单位", "units"),
    "unattached": ("组织关系未落实的党员", "members without an org"),
    "unplaced": ("无所属范围的党组织", "orgs in no scope"),
    "idle": ("闲置单位结对建议", "idle units proposed"),
    "terms": ("换届提醒", "terms"),
}

_WORDS: dict[str, str] = {
    "become_general_branch": "应升格为党总支",
    "go_joint": "应联合组建",
    "become_committee": "应升格为党委",
    "no_parent": "无上级党组织",
    "not_below_parent": "层级不低于上级",
    "type_not_below_parent": "组织类型不低于上级",
    "member_of": "所在党组织",
    "lives_in": "居住地",
    "based_in": "依托单位",
    "covers_self": "直接覆盖",
    "covers_estate": "小区党组织",
    "covers_grid": "网格党组织",
    "covers_community": "社区党组织",
    "covers_street": "街道党组织",
    "covers_district": "区级党组织",
    "self": "本组织",
    "party": "党组织",
    "owners": "业委会",
    "property": "物业",
    "unit": "单位",
    # what a rebalancing move does
    "move": "调整结对",
    "drop": "解除结对（超过每单位结对上限）",
    "new": "新增结对",
    # terms
    "overdue": "逾期未换届",
    "due": "即将到期",
    "missing": "未记录任期",
    # why a figure or a plan is empty
    "no_households": "范围内的社区均无户数",
    "all_zero": "各社区比率均为0",
    "no_paired_units": "没有已结对的单位",
    "already_even": "各社区已均衡",
    "no_move_lowers_gini": "任何调整都不能降低基尼系数",
}
_COMMUNITY_SIDE = "社区/网格"

# columns whose values are codes of a vocabulary
VALUES: dict[str, tuple[Vocabulary, ...]] = {
    "type": (ORG_TYPE,),
    "level": (ORG_LEVEL,),
    "parent_level": (ORG_LEVEL,),
    "parent_type": (ORG_TYPE,),
    "category": (MEMBER_CATEGORY,),
    "property_status": (PROPERTY_STATUS,),
    "kind": (UNIT_KIND, COMMITTEE_KIND),
    "role": (ROLE,),
}


# What stands in a table for an entity an answer withholds: it lies outside the caller's
# jurisdiction, and only its kind is said.
_WITHHELD = ("（辖区外）", "(outside)")


def withheld(lang: str, label: str | None = None) -> str:
    """``label`` (a node's label) in words, marked as lying outside the jurisdiction.

    >>> withheld("zh", "Street"), withheld("en", "Street"), withheld("zh")
    ('街道（辖区外）', 'Street (outside)', '（辖区外）')
    """
    zh, en = _WITHHELD
    if label is None:
        return zh if lang == "zh" else en
    if lang == "zh":
        return NODES[Label(label)].zh + zh if label in Label._value2member_map_ else label + zh
    return f"{label} {en}"


def column(key: str, lang: str) -> str:
    zh, en = COLUMNS.get(key, (key, key.replace("_", " ")))
    return zh if lang == "zh" else en


def section(key: str, lang: str) -> str:
    zh, en = SECTIONS.get(key, (key, key.replace("_", " ")))
    return zh if lang == "zh" else en


def title(name: str, lang: str, scope: object = None) -> str:
    """An answer's title (``name`` a question, or ``gaps.KIND``), with its scope when it has
    one: 覆盖概况 — 新城区 (D1)."""
    zh, en = TITLES[name]
    where = getattr(scope, "title", None)
    text = zh if lang == "zh" else en
    return f"{text} — {where}" if where else text


def coverage_sentence(summary: CoverageSummary, lang: str) -> str:
    """A coverage summary's figures the way the seed articles state them."""
    general = summary.orgs_by_type.get("general_branch", 0)
    branches = summary.orgs_by_type.get("branch", 0)
    groups = summary.orgs_by_type.get("group", 0)
    if lang == "zh":
        return (
            f"在{summary.estates:,}个小区中，建立党总支{general:,}个、党支部{branches:,}个、"
            f"楼栋党小组{groups:,}个；党的组织覆盖率{summary.org_rate:.1%}，"
            f"党的工作覆盖率{summary.work_rate:.1%}。"
        )
    return (
        f"Across {summary.estates:,} estates, {general:,} general branches, {branches:,} "
        f"branches and {groups:,} building groups; organization coverage "
        f"{summary.org_rate:.1%}, work coverage {summary.work_rate:.1%}."
    )


def word(key: str, code: str, lang: str) -> str:
    """A code in words: its vocabulary's Chinese name, or the rule/problem/side words."""
    if lang != "zh":
        return code
    key = key.rsplit(".", 1)[-1]  # a figure of a nested answer: units.undefined
    if key in ("rels", "rel") and code in Rel.__members__:
        return RELATIONSHIPS[Rel(code)].zh
    for vocabulary in VALUES.get(key, ()):
        if code in vocabulary.codes():
            return vocabulary.label(code)
    if key in ("sides", "pattern"):
        return "+".join(
            _COMMUNITY_SIDE if s == "community" else _WORDS.get(s, s) for s in code.split("+")
        )
    worded = ("rule", "problem", "via", "side", "status", "reason", "undefined", "change")
    return _WORDS.get(code, code) if key in worded else code
