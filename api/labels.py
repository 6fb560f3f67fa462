"""The columns, titles and codes the questions return, in words: read from the catalogues of
``words.py``; the one place where the edge (CLI, report, views, HTTP labels) turns codes into
words."""

from __future__ import annotations

import re

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
    VOCABULARIES,
    Label,
    Rel,
    Vocabulary,
)
from orgnet.queries.changes import Changes
from orgnet.queries.coverage import CoverageSummary

from .words import catalogue, has, say

# columns whose values are codes of a vocabulary
VALUES: dict[str, tuple[Vocabulary, ...]] = {
    "type": (ORG_TYPE,),
    "level": (ORG_LEVEL,),
    "parent_level": (ORG_LEVEL,),
    "parent_type": (ORG_TYPE,),
    "type_before": (ORG_TYPE,),
    "type_after": (ORG_TYPE,),
    "level_before": (ORG_LEVEL,),
    "level_after": (ORG_LEVEL,),
    "category": (MEMBER_CATEGORY,),
    "property_status": (PROPERTY_STATUS,),
    "kind": (UNIT_KIND, COMMITTEE_KIND),
    "role": (ROLE,),
}


# What stands in a table for an entity an answer withholds: it lies outside the caller's
# jurisdiction, and only its kind is said.
def withheld(lang: str, label: str | None = None) -> str:
    """``label`` (a node's label) in words, marked as lying outside the jurisdiction.

    >>> withheld("zh", "Street"), withheld("en", "Street"), withheld("zh")
    ('街道（辖区外）', 'Street (outside)', '（辖区外）')
    """
    if label is None:
        return say("cli.outside", lang)
    if lang == "zh" and label in Label._value2member_map_:
        label = NODES[Label(label)].zh
    return say("cli.outside_kind", lang, kind=label)


def _lookup(table: str, key: str, lang: str) -> str:
    return catalogue(lang).get(f"{table}.{key}") or key.replace("_", " ")


def column(key: str, lang: str) -> str:
    return _lookup("columns", key, lang)


def section(key: str, lang: str) -> str:
    return _lookup("sections", key, lang)


def heading(name: str, lang: str) -> str:
    """A question's title (``name`` a question, or ``gaps.KIND``), without its scope."""
    return say(f"titles.{name}", lang)


def title(name: str, lang: str, scope: object = None) -> str:
    """An answer's title (``name`` a question, or ``gaps.KIND``), with its scope when it has
    one: 覆盖概况 — 新城区 (D1)."""
    text = heading(name, lang)
    where = scope_title(scope, lang) if scope is not None else None
    return f"{text} — {where}" if where else text


def scope_title(scope: object, lang: str) -> str:
    """A scope as a title says it: 新城区 (D1), or 全部 / all for the whole graph."""
    id, name = getattr(scope, "id", None), getattr(scope, "name", None)
    if id is None:
        return say("cli.all", lang)
    return f"{name} ({id})" if name else str(id)


def coverage_sentence(summary: CoverageSummary, lang: str) -> str:
    """A coverage summary's figures the way the seed articles state them."""
    if not summary.estates:
        return say("cli.no_estates", lang)
    return say(
        "cli.coverage_sentence",
        lang,
        estates=f"{summary.estates:,}",
        general=f"{summary.orgs_by_type.get('general_branch', 0):,}",
        branches=f"{summary.orgs_by_type.get('branch', 0):,}",
        groups=f"{summary.orgs_by_type.get('group', 0):,}",
        org_rate=f"{summary.org_rate or 0:.1%}",
        work_rate=f"{summary.work_rate or 0:.1%}",
    )


def changes_sentence(found: Changes, lang: str) -> str:
    """A period's changes the way the seed articles report progress (本期新建小区党组织N个…)."""
    return say(
        "cli.changes_sentence",
        lang,
        since=found.since,
        until=found.until,
        founded=f"{found.orgs_founded:,}",
        estate_orgs=f"{found.estate_orgs_founded:,}",
        dissolved=f"{found.orgs_dissolved:,}",
        upgraded=f"{found.orgs_upgraded:,}",
        covered=f"{found.estates_covered:,}",
        uncovered=f"{found.estates_uncovered:,}",
        built=f"{found.estates_built:,}",
        secretaries=f"{found.secretaries_changed:,}",
        pairings_begun=f"{found.pairings_begun:,}",
        pairings_ended=f"{found.pairings_ended:,}",
        reports_begun=f"{found.reports_begun:,}",
        reports_ended=f"{found.reports_ended:,}",
        terms=f"{found.terms_renewed:,}",
    )


def window(within: str, lang: str) -> str:
    """A terms window (6m, 90d, 8w, 1y) as the reader says it: 6个月, 6 months.

    >>> window("6m", "zh"), window("90d", "en")
    ('6个月', '90 days')
    """
    count, unit = within[:-1], within[-1:].lower()
    if not count.isdigit() or unit not in "dwmy":
        return within
    return say(f"cli.window_{unit}", lang, count=int(count))


def word(key: str, code: str, lang: str) -> str:
    """A code in words: its vocabulary's name, a relationship type's, or the rule, problem,
    side and reason words of the catalogue. In English a vocabulary's code reads as words
    (general_branch: general branch)."""
    key = key.rsplit(".", 1)[-1]  # a figure of a nested answer: units.undefined
    if key == "within":
        return window(code, lang)
    if key in ("rels", "rel", "link") and code in Rel.__members__:
        return RELATIONSHIPS[Rel(code)].zh if lang == "zh" else code.replace("_", " ").lower()
    for vocabulary in VALUES.get(key, ()):
        if code in vocabulary.codes():
            return vocabulary.label(code) if lang == "zh" else _english(code)
    if key in ("label", "other_label", "from_label"):  # a kind of thing: 楼栋, building
        return label_words(code, lang)
    if key == "what":  # a property, as its column is called (联系电话)
        return property_words("", code, "", lang)[0]
    if key in ("before", "after"):  # a value of any vocabulary (a history's)
        for vocabulary in VOCABULARIES.values():
            if code in vocabulary.codes():
                return vocabulary.label(code) if lang == "zh" else _english(code)
    if key in ("sides", "pattern"):
        return "+".join(
            say("codes.community_side", lang)
            if s == "community"
            else catalogue(lang).get(f"codes.{s}", s)
            for s in code.split("+")
        )
    worded = (
        "rule", "problem", "via", "side", "status", "reason", "undefined", "change", "kind",
        "action", "every",
    )  # fmt: skip
    return catalogue(lang).get(f"codes.{code}", code) if key in worded else code


_ENGLISH = {"soe": "state-owned enterprise", "social_org": "social organization"}


def _english(code: str) -> str:
    return _ENGLISH.get(code, code.replace("_", " "))


def property_words(label: str, key: str, value: object, lang: str) -> tuple[str, str]:
    """A property of a node and its value in words: the catalogue's column (else the import
    format's Chinese header), its value in the node's own vocabulary."""
    from orgnet.loaders.contract import ALIASES

    known = catalogue(lang).get(f"columns.{key}")
    if known is None:
        known = ALIASES[key][0] if lang == "zh" and key in ALIASES else key.replace("_", " ")
    vocabulary = None
    if label in Label._value2member_map_:
        try:
            vocabulary = NODES[Label(label)].prop(key).vocabulary
        except KeyError:
            vocabulary = None
    if isinstance(value, bool):
        text = say("cli.yes" if value else "cli.no", lang)
    elif isinstance(value, int) and not key.endswith("year"):
        text = f"{value:,}"
    elif isinstance(value, list):
        text = ("、" if lang == "zh" else ", ").join(str(v) for v in value)
    elif vocabulary is not None and str(value) in vocabulary.codes():
        text = vocabulary.label(str(value)) if lang == "zh" else _english(str(value))
    else:
        text = word(key, str(value), lang)
    return known, text


def error_words(e: BaseException, lang: str) -> str:
    """An error in the words of ``lang``, in one line: the catalogue's, where the error names
    them (``OrgnetError.said``), else its own message."""
    said = getattr(e, "said", None)
    if said:
        key = f"errors.{said}" if has(f"errors.{said}") else f"cli.{said}"
        if has(key):
            params = dict(getattr(e, "params", {}))
            if "label" in params:  # a kind of thing, in words: 楼栋, building
                params["label"] = label_words(str(params["label"]), lang)
            return _one_line(say(key, lang, **params))
    return _one_line(str(e))


def label_words(label: str, lang: str) -> str:
    """A node's label in words: 楼栋, building."""
    if label not in Label._value2member_map_:
        return label
    return (
        NODES[Label(label)].zh if lang == "zh" else re.sub(r"(?<!^)(?=[A-Z])", " ", label).lower()
    )


def _one_line(text: str) -> str:
    """A failure is said in one line: a message that spans lines (a driver's) is joined."""
    return " ".join(part.strip() for part in text.splitlines() if part.strip())
