"""A small network built by hand for the second round of the questions (DESIGN §4 as amended):
one rule for dates, orgs that cover nothing, members without an org, rebalancing that never
hurts, owners' shares and terms. Every dated relationship type has one that ended TODAY and one
that begins TOMORROW, so asking at YESTERDAY, TODAY and TOMORROW shows each rule at its edge.
The answers below are worked out by hand; the tests state them.

Territory — district D1, street S1:
    C1 (500 households): E1 (300 hh, B1), E2 (200 hh, B2)
    C2 (500 households): E3 (500 hh, B3)

Dated relationships (TODAY = 2026-11-23; "ended today" means until = TODAY):
    MANAGES      F1 → E1 2019-01-01 … ended today;  F2 → E2 from tomorrow;  F3 → E3 undated
    PAIRED_WITH  U1 → C1 2020-01-01 … ended today;  U2 → C2 from tomorrow;  U3 → C1 undated
    REPORTED_TO  P-g → C2 2025-01-01 … ended today; P-g2 → C1 from tomorrow
    HOLDS        P-C2 secretary of PC2 2020-01-01 … ended today; P-j vice chair of OC1 …
                 ended today; P-guide party guide of F3 from tomorrow; P-l on OC2 until 2025
    MEMBER_OF    P-a in PE1 from tomorrow (member_since)
    LIAISES      P-PS → E3 from tomorrow
    joined_party P-b joins tomorrow (MEMBER_OF PE1, no date of its own)

Party orgs (type, level, parent; covers; term):
    PS     working_committee street    —    S1                 appointed: no term
    PC1    committee        community PS   C1   2021-12-01, 5y → ends 2026-12-01: due
    PC2    committee        community PS   C2   2021-05, 5y   → ended 2026-05-01: overdue
    PE1    branch           estate    PC1  E1   2024-03-01, 3y → ends 2027-03-01: due
    PE2    branch           estate    PC1  E2   none recorded: missing
    PE3    branch           estate    PC2  E3   2025-01-01, 3y → ends 2028-01-01: not listed
    PG1    group            building  PE1  B1   not elected: no term
    PF1    branch           unit      —    based in F1; 2025-03-01, own 2y → 2027-03-01: due
    PF2    branch           unit      —    based in F2; none recorded
    PSEC   committee        sector    —    region D1; 2022-11-01, own 4y → ended 2026-11-01
    PSEC2  committee        sector    —    no region: in no scope; none recorded

Where orgs count (SERVES): PS S1, D1; PC1, PE1, PE2, PG1 C1, S1, D1; PC2, PE3 C2, S1, D1;
    PSEC D1 (its region); PF1 C1, S1, D1 only while F1's contract ran (until today); PF2 the
    same from tomorrow; PSEC2 nowhere. So today D1 has 8 orgs (yesterday 9 with PF1, tomorrow
    9 with PF2), and the unplaced are PF1, PF2, PSEC2 (yesterday PF2, PSEC2; tomorrow PF1,
    PSEC2).

People (resident members unless said; all phones 138000000xx):
    P-PS sec. PS (B1) · P-C1 sec. PC1 (B1) · P-C2 sec. PC2 until today (B3) · P-E1 sec. PE1
    (B1) · P-E3 sec. PE3 (B3) · P-F1 sec. PF1, in service at F1, no home · P-SEC sec. PSEC (B2)
    P-a  member of PE1 from tomorrow (B1) · P-b member of PE1, joins the party tomorrow (B1)
    P-c  floating, no org (B3) · P-d no org, no home · P-e member of PSEC2 (B2)
    P-g  in service, PE1, lives B1 (C1), reported to C2 until today
    P-g2 in service, PE1, lives B2 (C1), reports to C1 from tomorrow
    P-h  PE1, chair of OC1 (B1) · P-i not a member, member of OC1 (B1) · P-j PE1, vice chair of
    OC1 until today (B1) · P-k not a member, chair of OC3 (B3) · P-l not a member, on OC2 until
    2025-01-01 · P-guide not a member, party guide of F3 from tomorrow

Hand-worked answers (D1 unless said):
    census today   orgs 8: working_committee/street 1, committee/community 2, committee/sector 1,
                   branch/estate 3, group/building 1. Members 10 (P-PS, P-C1, P-C2, P-E1, P-E3,
                   P-SEC, P-g, P-g2, P-h, P-j): resident 8, in_service 2. Without an org, living
                   in D1: P-a (resident: their membership starts tomorrow), P-c (floating).
                   Secretaries 5, all resident (P-C2's post ended; PF1 is not in D1 today).
                   Unscoped: members 12 (+ P-F1, + P-e), without an org 3 (+ P-d): 15, every
                   party member of today (P-b joins tomorrow).
    census tomorrow members 12 (+ P-a, + P-b); without an org only P-c.
    vacancies      today PC2 (last secretary left 2026-11-23), PE2; yesterday PE2; tomorrow
                   PC2, PE2, PF2.
    gaps property  today E1, E2 (F1's contract ended, F2's has not begun); yesterday E2;
                   tomorrow E1.
    gaps firms     today F3; yesterday F3 (F1 has PF1); tomorrow none (PF2 in F2, a guide in F3).
    triad gaps     today E3 (PE3, OC3, F3; nobody in two); yesterday E1, E3; tomorrow E2, E3.
    owners         today OC3 0.0, OC1 1/2 (P-h of P-h, P-i), OC2 no current member; overall
                   1 of 3; below 0.5: OC3 only. Yesterday OC1 2/3 and overall 2 of 4.
    pairing        today units C1 1 (U3) → 20 per 10k, C2 0 → Gini 0.5, CV 1.0; members 0 and 0
                   → Gini and CV undefined (all_zero); idle U1, U2; unreported P-g, P-g2;
                   mismatched none (yesterday P-g, C1 → C2). Tomorrow units 1 and 1 (20, 20),
                   members C1 1 → 2.0 per 1k.
    rebalance      today (S1, at most 2 each): U3 stays (C1 or C2 cost the same; keeping it costs
                   nothing) → no move lowers the Gini (0.5). Idle: U1 → C2 (0 per household),
                   then U2 → C1 (1/500 each, C1 first) → with them 40 and 20 per 10k, Gini 1/6.
                   Tomorrow: 20 and 20 → already even; idle U1 → C1 → Gini with it 1/6.
    chain P-a      today from where they live (B1: PG1) PG1 → PE1 → PC1 → PS; tomorrow from
                   their own org PE1 → PC1 → PS.
    path           P-h → F1 yesterday 3 hops, first by ids P-h — B1 — E1 — F1; today none (F1's
                   only contract ended; PF1 is BASED_IN it, which no path follows).
                   P-PS → E3 today 4 hops; tomorrow 1 (LIAISES).
    terms today    (window 6m → 2027-05-23) overdue PC2 (2026-05-01, remind P-PS), PSEC
                   (2026-11-01, no superior); due PC1 (2026-12-01, P-PS), PE1 (2027-03-01, P-C1);
                   missing PE2 (P-C1). Unscoped adds PF1 due 2027-03-01 (after PE1 by id), PF2
                   and PSEC2 missing.
"""

from __future__ import annotations

import copy

TODAY, YESTERDAY, TOMORROW = "2026-11-23", "2026-11-22", "2026-11-24"


def dated() -> dict[str, list[dict]]:
    return copy.deepcopy(_DATED)


def _region(id: str, name: str, kind: str, parent: str, households: str = "") -> dict:
    return {"id": id, "name": name, "kind": kind, "parent_id": parent, "households": households}


def _person(id: str, *, member: bool = True, **more: str) -> dict:
    row = {"id": id, "name": f"人员{id}", "party_member": "是" if member else "否"}
    if member:
        row["member_category"] = "resident"
    return {**row, **more}


def _org(id: str, type: str, level: str, parent: str = "", **more: str) -> dict:
    return {"id": id, "name": f"{id}党组织", "type": type, "level": level, "parent_id": parent,
            **more}  # fmt: skip


def _post(person: str, org: str, role: str, since: str = "2022-01-01", until: str = "") -> dict:
    return {"person_id": person, "org_id": org, "role": role, "since": since, "until": until}


_DATED: dict[str, list[dict]] = {
    "regions": [
        _region("D1", "东区", "district", ""),
        _region("S1", "东街道", "street", "D1"),
        _region("C1", "东一社区", "community", "S1", "500"),
        _region("C2", "东二社区", "community", "S1", "500"),
    ],
    "estates": [
        {"id": "E1", "name": "一号小区", "community_id": "C1", "households": "300"},
        {"id": "E2", "name": "二号小区", "community_id": "C1", "households": "200"},
        {"id": "E3", "name": "三号小区", "community_id": "C2", "households": "500"},
    ],
    "buildings": [
        {"id": "B1", "name": "1号楼", "estate_id": "E1"},
        {"id": "B2", "name": "2号楼", "estate_id": "E2"},
        {"id": "B3", "name": "3号楼", "estate_id": "E3"},
    ],
    "units": [
        {"id": "U1", "name": "一号单位", "kind": "agency", "street_id": "S1"},
        {"id": "U2", "name": "二号单位", "kind": "school", "street_id": "S1"},
        {"id": "U3", "name": "三号单位", "kind": "soe", "street_id": "S1"},
    ],
    "property_firms": [
        {"id": "F1", "name": "一号物业"},
        {"id": "F2", "name": "二号物业"},
        {"id": "F3", "name": "三号物业"},
    ],
    "party_orgs": [
        _org("PS", "working_committee", "street", covers="S1"),
        _org("PC1", "committee", "community", "PS", covers="C1", term_start="2021-12-01"),
        _org("PC2", "committee", "community", "PS", covers="C2", term_start="2021-05"),
        _org("PE1", "branch", "estate", "PC1", covers="E1", term_start="2024-03-01"),
        _org("PE2", "branch", "estate", "PC1", covers="E2"),
        _org("PE3", "branch", "estate", "PC2", covers="E3", term_start="2025-01-01"),
        _org("PG1", "group", "building", "PE1", covers="B1"),
        _org("PF1", "branch", "unit", host_id="F1", term_start="2025-03-01", term_years="2"),
        _org("PF2", "branch", "unit", host_id="F2"),
        _org(
            "PSEC", "committee", "sector", region_id="D1", term_start="2022-11-01", term_years="4"
        ),
        _org("PSEC2", "committee", "sector"),
    ],
    "owners_committees": [
        {"id": "OC1", "name": "一号业委会", "estate_id": "E1"},
        {"id": "OC2", "name": "二号业委会", "estate_id": "E2"},
        {"id": "OC3", "name": "三号业委会", "estate_id": "E3"},
    ],
    "management": [
        {"firm_id": "F1", "estate_id": "E1", "since": "2019-01-01", "until": "2026-11-23"},
        {"firm_id": "F2", "estate_id": "E2", "since": "2026-11-24", "until": ""},
        {"firm_id": "F3", "estate_id": "E3", "since": "", "until": ""},
    ],
    "persons": [
        _person("P-PS", party_org_id="PS", building_id="B1", phone="13800000010"),
        _person("P-C1", party_org_id="PC1", building_id="B1", phone="13800000011"),
        _person("P-C2", party_org_id="PC2", building_id="B3", phone="13800000012"),
        _person("P-E1", party_org_id="PE1", building_id="B1"),
        _person("P-E3", party_org_id="PE3", building_id="B3"),
        _person("P-F1", member_category="in_service", party_org_id="PF1", employer_id="F1"),
        _person("P-SEC", party_org_id="PSEC", building_id="B2"),
        _person("P-a", party_org_id="PE1", member_since="2026-11-24", building_id="B1"),
        _person("P-b", party_org_id="PE1", joined_party="2026-11-24", building_id="B1"),
        _person("P-c", member_category="floating", building_id="B3"),
        _person("P-d"),
        _person("P-e", party_org_id="PSEC2", building_id="B2"),
        _person("P-g", member_category="in_service", party_org_id="PE1", building_id="B1"),
        _person("P-g2", member_category="in_service", party_org_id="PE1", building_id="B2"),
        _person("P-h", party_org_id="PE1", building_id="B1"),
        _person("P-i", member=False, building_id="B1"),
        _person("P-j", party_org_id="PE1", building_id="B1"),
        _person("P-k", member=False, building_id="B3"),
        _person("P-l", member=False),
        _person("P-guide", member=False),
    ],
    "posts": [
        _post("P-PS", "PS", "secretary"),
        _post("P-C1", "PC1", "secretary"),
        _post("P-C2", "PC2", "secretary", "2020-01-01", "2026-11-23"),
        _post("P-E1", "PE1", "secretary"),
        _post("P-E3", "PE3", "secretary"),
        _post("P-F1", "PF1", "secretary"),
        _post("P-SEC", "PSEC", "secretary"),
        _post("P-h", "OC1", "chair"),
        _post("P-i", "OC1", "member"),
        _post("P-j", "OC1", "vice_chair", "2022-01-01", "2026-11-23"),
        _post("P-k", "OC3", "chair"),
        _post("P-l", "OC2", "member", "2021-01-01", "2025-01-01"),
        _post("P-guide", "F3", "party_guide", "2026-11-24"),
    ],
    "pairings": [
        {"unit_id": "U1", "target_id": "C1", "since": "2020-01-01", "until": "2026-11-23"},
        {"unit_id": "U2", "target_id": "C2", "since": "2026-11-24", "until": ""},
        {"unit_id": "U3", "target_id": "C1", "since": "", "until": ""},
    ],
    "reports": [
        {"person_id": "P-g", "community_id": "C2", "since": "2025-01-01", "until": "2026-11-23"},
        {"person_id": "P-g2", "community_id": "C1", "since": "2026-11-24", "until": ""},
    ],
    "liaisons": [
        {"liaison_id": "P-PS", "target_id": "E3", "scheme": "包联", "since": "2026-11-24"}
    ],
}
