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

Things that begin and end (valid time) — district D2, street S2, community C3 (600 households):
    E4 built 2010 (300 hh, B4) · E5 built 2027 (200 hh, B5) · E6 no year (100 hh, B6) ·
    E7 no year (100 hh, B7)
    PS2   working_committee street   —    S2
    PC3   committee        community PS2  C3; term 2024-01-01, 5y: not listed
    PE4   general_branch   estate    PC3  E4; upgraded TODAY (org_history: branch/estate from
                                               2015-01-01, general_branch/estate from TODAY);
                                               term TODAY, 3y
    PE6   branch           estate    PC3  E6; founded 2015-01-01, dissolved TODAY; term
                                               2024-06-01
    PE7   branch           estate    PC3  E6; founded TOMORROW, term TOMORROW
    covers table: PC3 → E7 2020-01-01 … ended today; PE4 → E7 from tomorrow
    OC4 for E4, dissolved today · OC5 for E6, founded tomorrow
    People (resident members): P-S2 sec. PS2 (B4) · P-C3 sec. PC3 (B4) · P-E4 sec. PE4 (B4) ·
    P-E6 sec. PE6, member of PE6 (B6)

Hand-worked answers (D2):
    coverage       today estates 3 (E5 not built), 500 households, org-covered 1 (E4: PE6 is
                   dissolved, PE7 not founded, PC3's cover of E7 ended, PE4's not begun);
                   yesterday and tomorrow 3 of 3; on 2027-06-01 estates 4 (E5 built), 3
                   covered; on 2014-12-31 1 of 3 (PE6 not yet founded, PC3's cover not begun).
    gaps estates   today E6 (1 member: P-E6), E7 (0); yesterday and tomorrow none.
    census orgs    today working_committee/street 1, committee/community 1,
                   general_branch/estate 1; yesterday branch/estate 2 (PE4 not yet upgraded,
                   PE6), no general branch; tomorrow general_branch/estate 1, branch/estate 1 (PE7).
    census members today 3 (P-S2, P-C3, P-E4), without an org P-E6 (their org is dissolved);
                   yesterday 4, none without.
    vacancies      today none; tomorrow PE7 (founded with no secretary).
    terms          today none (PE6 dissolved, PE7 not founded, PE4's term began today);
                   yesterday PE4 missing (its recorded term starts after).
    owners gaps    today E4 (OC4 dissolved), E6 (OC5 not founded), E7; yesterday E6, E7;
                   tomorrow E4, E7.
    chain P-E6     yesterday PE6 → PC3 → PS2; today from where they live: B6, E6 uncovered,
                   so C3: PC3 → PS2; tomorrow from E6: PE7 → PC3 → PS2.
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
        _region("D2", "西区", "district", ""),
        _region("S2", "西街道", "street", "D2"),
        _region("C3", "西一社区", "community", "S2", "600"),
    ],
    "estates": [
        {"id": "E1", "name": "一号小区", "community_id": "C1", "households": "300"},
        {"id": "E2", "name": "二号小区", "community_id": "C1", "households": "200"},
        {"id": "E3", "name": "三号小区", "community_id": "C2", "households": "500"},
        {
            "id": "E4",
            "name": "四号小区",
            "community_id": "C3",
            "households": "300",
            "built_year": "2010",
        },
        {
            "id": "E5",
            "name": "五号小区",
            "community_id": "C3",
            "households": "200",
            "built_year": "2027",
        },
        {"id": "E6", "name": "六号小区", "community_id": "C3", "households": "100"},
        {"id": "E7", "name": "七号小区", "community_id": "C3", "households": "100"},
    ],
    "buildings": [
        {"id": "B1", "name": "1号楼", "estate_id": "E1"},
        {"id": "B2", "name": "2号楼", "estate_id": "E2"},
        {"id": "B3", "name": "3号楼", "estate_id": "E3"},
        {"id": "B4", "name": "4号楼", "estate_id": "E4"},
        {"id": "B5", "name": "5号楼", "estate_id": "E5"},
        {"id": "B6", "name": "6号楼", "estate_id": "E6"},
        {"id": "B7", "name": "7号楼", "estate_id": "E7"},
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
        _org("PS2", "working_committee", "street", covers="S2"),
        _org("PC3", "committee", "community", "PS2", covers="C3", term_start="2024-01-01"),
        _org("PE4", "general_branch", "estate", "PC3", covers="E4", term_start=TODAY),
        _org(
            "PE6",
            "branch",
            "estate",
            "PC3",
            covers="E6",
            founded="2015-01-01",
            dissolved=TODAY,
            term_start="2024-06-01",
        ),
        _org("PE7", "branch", "estate", "PC3", covers="E6", founded=TOMORROW, term_start=TOMORROW),
    ],
    "covers": [
        {"org_id": "PC3", "target_id": "E7", "since": "2020-01-01", "until": TODAY},
        {"org_id": "PE4", "target_id": "E7", "since": TOMORROW, "until": ""},
    ],
    "org_history": [
        {"org_id": "PE4", "since": "2015-01-01", "type": "branch", "level": "estate"},
        {"org_id": "PE4", "since": TODAY, "type": "general_branch", "level": "estate"},
    ],
    "owners_committees": [
        {"id": "OC1", "name": "一号业委会", "estate_id": "E1"},
        {"id": "OC2", "name": "二号业委会", "estate_id": "E2"},
        {"id": "OC3", "name": "三号业委会", "estate_id": "E3"},
        {"id": "OC4", "name": "四号业委会", "estate_id": "E4", "dissolved": TODAY},
        {"id": "OC5", "name": "六号业委会", "estate_id": "E6", "founded": TOMORROW},
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
        _person("P-S2", party_org_id="PS2", building_id="B4"),
        _person("P-C3", party_org_id="PC3", building_id="B4"),
        _person("P-E4", party_org_id="PE4", building_id="B4"),
        _person("P-E6", party_org_id="PE6", building_id="B6"),
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
        _post("P-S2", "PS2", "secretary"),
        _post("P-C3", "PC3", "secretary"),
        _post("P-E4", "PE4", "secretary"),
        _post("P-E6", "PE6", "secretary"),
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
