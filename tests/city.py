"""A small city built by hand for the questions of DESIGN §4, with every answer worked out by
hand below (the tests state these answers; they never compute them with the code under test).

Territory — district D1 (新城区):
    street S1
        community C1 (1,200 households)  grids G1, G2
            E1  300 hh, managed by F1      B11 (G1), B12 (G1)
            E2  200 hh, managed by F1      B21 (G1), B22 (G2)    G1 spans E1, E2; E2 spans G1, G2
            E3  150 hh, unmanaged          B31 (G2)
            E4  100 hh, community_run      B41 (no grid)
        community C2 (no household figure: 120 + 80 = 200 from its estates)  grid G3
            E5  120 hh, self_managed       B51 (G3)
            E6   80 hh, no status          B61 (G3)
    street S2
        community C3 (500 households)
            E7  500 hh, managed by F3      B71

Party organizations (type, level, parent; covers):
    PW1  working_committee street   —     S1        secretary P-W1
    PC1  committee        community PW1   C1        secretary P-C1 (also grid_leader of G1)
    PC2  committee        community PW1   C2        secretary P-C2 until 2025-06-30 (expired)
    PC3  general_branch   community —     C3        secretary P-C3; 49 members  ← root defect
    PG1  branch           grid      PC1   G1        no secretary; 2 members
    PG3  branch           grid      PC2   G3        secretary P-G3; exactly 50 members
    PJ   branch, joint    estate    PC1   E1;E2     secretary P-J (also chair of MC2)
    PQ1  group            building  PJ    B11       3 members
    PB7  branch           estate    PC3   E7        secretary P-B7; 40 members + PQ7's 11 = 51
    PQ7  group            building  PB7   B71       11 members
    PX   branch           community PG1   —         no secretary, no members ← below its parent
    PF1  branch           unit      —     —         based in F1; secretary P-F1; 7 members

Hand-worked answers (as of 2026-11-23 unless said):
    coverage   7 estates, 1,450 households; org-covered E1, E2, E7 (3);
               work-covered E1, E2, E7 + E4 (party guide) + E5, E6 (grid G3 has PG3) = 6.
               As of 2024-06-01, E3 is also work-covered (P-G's guide post: 2023-01 … 2024-12-31).
    actionable gaps: E4 (3 resident members), E5 (7: P-C2, P-G3, P-E5a–d, P-S2). Not E3: 3 members
               live there but one is floating. Not E6: only a non-member lives there.
    building groups missing: B12 (5 members: P-W1, P-C1, P-G, P-E4g, P-FG), B21 (2: P-J, P-G1a),
               B22 (2: P-G1b, P-S4); B11 and B71 have groups (PQ1, PQ7).
    grid branches missing: G2.
    red property: F1 org-covered (PF1), F2 work-covered (party guide P-FG), F3 neither → E7.
    without a firm: E3 unmanaged (gap), E6 no status (gap), E4 community_run and E5 self_managed
               (fallback).
    owners:    estates without a committee: E3, E4, E5, E6. OC1 (E1): current members P-O1 chair
               (member), P-O2 vice_chair (non-member), P-O3 member (member); P-O4's post expired
               → share 2/3. MC2 (E2): chair P-J (member) only → 1/1. OC7 (E7): P-O7a chair,
               P-O7b member, both non-members → 0.
    vacancies: PG1, PX (never had one), PC2 (expired). As of 2025-01-01: PG1, PX only.
    size:      PB7 51 > 50 → general branch; PG3 has exactly 50 → nothing; PG1 (2) and PX (0) < 3
               → go joint; PC3 subtree 49 + 51 = 100 → committee. PJ (4 + PQ1's 3 = 7) and
               PF1 (P-F1, P-F1a, P-F1b, P-S1–4 = 7) → nothing.
    integrity: PC3 is a community-level root; PX (community) sits under PG1 (grid), a branch
               under a branch.
    census (estate level and below): general branches 0, branches 2 (PJ, PB7), groups 2.

Pairing (units U1 → C1, U2 → E5 (so C2), U3 → C3, U5 → C1 from 2030; U4 never paired; reports
P-S1 → C1, P-S2 → C1, P-S4 → C1 from 2030):
    per community  C1: 1 unit, 2 members, 1,200 hh → 8.333 units/10k, 1.667 members/1k
                   C2: 1 unit (via E5), 0 members, 200 hh (its estates) → 50, 0
                   C3: 1 unit, 0 members, 500 hh → 20, 0
    units/10k  Gini = Σ|xi−xj| / (2n²·mean) = (2·250/3) / (18·235/9) = 50/141 ≈ 0.3546;
               CV = √(74850/243) / (235/9) ≈ 0.6722; none: —; top decile (⌈3/10⌉ = 1): C2.
    members/1k Gini = 2/3; CV = √2; none: C2, C3; top decile: C1.
    idle units: U4, U5 (its pairing starts in 2030). As of 2030-06-01: U4 only, and C1 has
               2 units and 3 members.
    unreported in-service members living in D1: P-S3 (C3), P-S4 (C1; report starts 2030).
               P-F1, P-F1a, P-F1b live nowhere recorded, so they are not counted.
    mismatched: P-S2 lives in C2 (B51) and reports to C1.
    rebalancing, within streets (each paired unit keeps its one pairing; idle ones apart):
               S1 has U1, U2 for C1 (1,200) and C2 (200); S2 has U3 for C3 (500).
               Target r̄ = 3 units / 1,900 hh = 15.79 per 10k; minimise Σ(r_c − r̄)²:
               S1 (C1, C2) = (2, 0) → 267.8 (with C3's 17.7) beats (1, 1) → 1,243.7, so the
               squares move U2 to C1 — but [16.67, 0, 20] has Gini 4/11 ≈ 0.3636, above
               50/141 ≈ 0.3546 before: no plan (no move lowers the Gini). Across streets the
               best is the same (2, 0, 1), so no plan either.
               Idle units, one at a time to the poorest of their street: U4 → C1 (1/1,200
               against C2's 1/200), U5 → C3: [16.67, 50, 40] → Gini 5/24 ≈ 0.2083. Across
               streets U4 → C1, then U5 → C1 (2/1,200 still the fewest): [25, 50, 20] → 4/19.

Contact paths (as of 2026-11-23):
    chain      B31: E3 and G2 have no org → PC1 (community) → PW1. B12: E1's PJ (estate before
               G1's PG1) → PC1 → PW1. B51: G3's PG3 → PC2 (no current secretary) → PW1.
               P-O2 (not a member, lives in B11) → PQ1 → PJ → PC1 → PW1. P-F1 → PF1 (root).
               PQ7 → PB7 → PC3. P-M3 (no membership, no home) → nothing.
    path       P-O1 → P-O3: three 2-hop paths (via B11, OC1, PJ); k = 2 gives B11 then OC1.
               No 3-hop path: B11, OC1 and PJ touch one another only through E1 (B11 PART_OF,
               OC1 REPRESENTS, PJ COVERS). The 4-hop paths in the order of their ids start
               P-O1 — B11 — E1 (E1 < P-O2, B11's other resident), then OC1 < PJ:
               k = 5 adds B11 — E1 — OC1 and B11 — E1 — PJ.
               P-O1 → P-O4 over HOLDS only: none today (P-O4's post ended 2023-12-31);
               as of 2023-06-01: P-O1 — OC1 — P-O4.
               P-O4 → OC1 over HOLDS, LIVES_IN, PART_OF, REPRESENTS: the direct post ended, so
               today every path goes P-O4 — B11 — X — OC1, X one of E1, P-O1, P-O2, P-O3 (all
               in post, all in B11); k = 2 gives X = E1, then P-O1. As of 2023-06-01: direct.
    cross      P-C1 community+party (G1 grid leader, PC1 secretary); P-J owners+party (MC2
               chair, PJ secretary); P-M3 party+property (PB7 part-time member, F3 manager).
               In C3 only P-M3.
    triads     E1 (PJ, OC1, F1) nobody links → gap; E2 (PJ, MC2, F1) linked by P-J; E7 (PB7,
               OC7, F3) linked by P-M3.
    brokers    C1: P-C1 alone ties G1 to the rest; P-J alone ties MC2. C3: P-M3 alone ties F3
               to PB7 and its 104 other nodes (F3, PB7 + 40 members, PQ7 + 11, PC3 + 49),
               so P-M3 lies between 103 pairs; nobody else in C3 lies between any.
"""

from __future__ import annotations

import copy

TODAY = "2026-11-23"


def city() -> dict[str, list[dict]]:
    return copy.deepcopy(_CITY)


def _region(id: str, name: str, kind: str, parent: str, households: str = "") -> dict:
    return {"id": id, "name": name, "kind": kind, "parent_id": parent, "households": households}


def _estate(id: str, community: str, households: int, status: str) -> dict:
    return {
        "id": id,
        "name": f"{id}小区",
        "community_id": community,
        "households": str(households),
        "property_status": status,
    }


def _building(id: str, estate: str, grid: str = "") -> dict:
    return {"id": id, "name": f"{id}号楼", "estate_id": estate, "grid_id": grid}


def _org(id: str, type: str, level: str, parent: str = "", covers: str = "", **more: str) -> dict:
    return {
        "id": id,
        "name": f"{id}党组织",
        "type": type,
        "level": level,
        "parent_id": parent,
        "covers": covers,
        **more,
    }


def _person(
    id: str,
    *,
    member: bool = True,
    category: str = "resident",
    org: str = "",
    building: str = "",
    employer: str = "",
    phone: str = "",
) -> dict:
    return {
        "id": id,
        "name": f"人员{id}",
        "party_member": "是" if member else "否",
        "member_category": category if member else "",
        "party_org_id": org,
        "building_id": building,
        "employer_id": employer,
        "phone": phone,
    }


def _members(prefix: str, count: int, org: str, building: str) -> list[dict]:
    return [_person(f"{prefix}{k:02d}", org=org, building=building) for k in range(1, count + 1)]


def _post(person: str, org: str, role: str, since: str = "2022-01-01", until: str = "") -> dict:
    return {"person_id": person, "org_id": org, "role": role, "since": since, "until": until}


_CITY: dict[str, list[dict]] = {
    "regions": [
        _region("D1", "新城区", "district", ""),
        _region("S1", "东街道", "street", "D1"),
        _region("S2", "西街道", "street", "D1"),
        _region("C1", "和平社区", "community", "S1", "1200"),
        _region("C2", "康乐社区", "community", "S1"),
        _region("C3", "西园社区", "community", "S2", "500"),
        _region("G1", "第一网格", "grid", "C1"),
        _region("G2", "第二网格", "grid", "C1"),
        _region("G3", "第三网格", "grid", "C2"),
    ],
    "estates": [
        _estate("E1", "C1", 300, "managed"),
        _estate("E2", "C1", 200, "managed"),
        _estate("E3", "C1", 150, "unmanaged"),
        _estate("E4", "C1", 100, "community_run"),
        _estate("E5", "C2", 120, "self_managed"),
        _estate("E6", "C2", 80, ""),
        _estate("E7", "C3", 500, "managed"),
    ],
    "buildings": [
        _building("B11", "E1", "G1"),
        _building("B12", "E1", "G1"),
        _building("B21", "E2", "G1"),
        _building("B22", "E2", "G2"),
        _building("B31", "E3", "G2"),
        _building("B41", "E4"),
        _building("B51", "E5", "G3"),
        _building("B61", "E6", "G3"),
        _building("B71", "E7"),
    ],
    "units": [
        {"id": "U1", "name": "区教育局", "kind": "agency", "street_id": "S1"},
        {"id": "U2", "name": "区人民医院", "kind": "hospital", "street_id": "S1"},
        {"id": "U3", "name": "城投公司", "kind": "soe", "street_id": "S2"},
        {"id": "U4", "name": "第一中学", "kind": "school", "street_id": "S1"},
        {"id": "U5", "name": "区税务局", "kind": "agency", "street_id": "S2"},
    ],
    "property_firms": [
        {"id": "F1", "name": "红枫物业", "star_rating": "4"},
        {"id": "F2", "name": "安居物业", "star_rating": "3"},
        {"id": "F3", "name": "西园物业", "star_rating": "2"},
    ],
    "party_orgs": [
        _org("PW1", "working_committee", "street", "", "S1"),
        _org("PC1", "committee", "community", "PW1", "C1"),
        _org("PC2", "committee", "community", "PW1", "C2"),
        _org("PC3", "general_branch", "community", "", "C3"),
        _org("PG1", "branch", "grid", "PC1", "G1"),
        _org("PG3", "branch", "grid", "PC2", "G3"),
        _org("PJ", "branch", "estate", "PC1", "E1;E2", formation="joint"),
        _org("PQ1", "group", "building", "PJ", "B11"),
        _org("PB7", "branch", "estate", "PC3", "E7"),
        _org("PQ7", "group", "building", "PB7", "B71"),
        _org("PX", "branch", "community", "PG1", ""),
        _org("PF1", "branch", "unit", "", "", host_id="F1"),
    ],
    "owners_committees": [
        {"id": "OC1", "name": "E1业委会", "estate_id": "E1", "kind": "owners_committee"},
        {"id": "MC2", "name": "E2物管会", "estate_id": "E2", "kind": "management_committee"},
        {"id": "OC7", "name": "E7业委会", "estate_id": "E7", "kind": "owners_committee"},
    ],
    "management": [
        {"firm_id": "F1", "estate_id": "E1", "since": "2019-01-01"},
        {"firm_id": "F1", "estate_id": "E2", "since": "2019-01-01"},
        {"firm_id": "F3", "estate_id": "E7", "since": "2020-05"},
    ],
    "persons": [
        # Secretaries and post holders (members of their own org unless said).
        _person("P-W1", org="PW1", building="B12", phone="13800000001"),
        _person("P-C1", org="PC1", building="B12", phone="13800000002"),
        _person("P-C2", org="PC2", building="B51", phone="13800000003"),
        _person("P-C3", org="PC3", building="B71", phone="13800000004"),
        _person("P-J", category="retired", org="PJ", building="B21", phone="13800000005"),
        _person("P-G3", org="PG3", building="B51", phone="13800000006"),
        _person("P-B7", category="retired", org="PB7", building="B71", phone="13800000007"),
        _person("P-F1", category="in_service", org="PF1", employer="F1", phone="13800000008"),
        _person("P-F1a", category="in_service", org="PF1", employer="F1"),
        _person("P-F1b", category="in_service", org="PF1", employer="F1"),
        _person("P-G", org="PC1", building="B12"),  # the expired party guide of E3 (counts in PC1)
        _person("P-E4g", org="PC1", building="B12"),  # the party guide of E4
        _person("P-FG", org="PC1", building="B12"),  # the party guide of firm F2
        _person("P-M3", member=False, employer="F3"),  # F3's manager, on PB7's committee
        _person("P-O1", org="PJ", building="B11"),
        _person("P-O2", member=False, building="B11"),
        _person("P-O3", org="PJ", building="B11"),
        _person("P-O4", org="PJ", building="B11"),
        _person("P-O7a", member=False, building="B71"),
        _person("P-O7b", member=False, building="B71"),
        # PG1's two members, living in B21 (E2) and B22 (E2).
        _person("P-G1a", org="PG1", building="B21"),
        _person("P-G1b", category="veteran", org="PG1", building="B22"),
        # E3: three members live there, one floating → not actionable.
        _person("P-E3a", org="PC1", building="B31"),
        _person("P-E3b", category="retired", org="PC1", building="B31"),
        _person("P-E3c", category="floating", org="", building="B31"),
        # E4: three resident members → actionable.
        _person("P-E4a", org="PC1", building="B41"),
        _person("P-E4b", org="PC1", building="B41"),
        _person("P-E4c", org="PC1", building="B41"),
        # E5: four members (members of PG3 living there) → actionable.
        _person("P-E5a", org="PG3", building="B51"),
        _person("P-E5b", org="PG3", building="B51"),
        _person("P-E5c", org="PG3", building="B51"),
        _person("P-E5d", org="PG3", building="B51"),
        # In-service members for pairing: where they live and where they report.
        _person("P-S1", category="in_service", org="PF1", building="B11", employer="U1"),
        _person("P-S2", category="in_service", org="PF1", building="B51", employer="U2"),
        _person("P-S3", category="in_service", org="PF1", building="B71", employer="U3"),
        _person("P-S4", category="in_service", org="PF1", building="B22", employer="U1"),
        # A resident who is not a member.
        _person("P-N1", member=False, building="B61"),
        # Bulk members: PG3 (P-G3 + 4 in E5 + 45 here = 50), PB7 (P-B7 + 39 = 40), PQ7 (11),
        # PC3 (P-C3 + 48 = 49), PQ1 (3).
        *_members("M-G3-", 45, "PG3", ""),
        *_members("M-B7-", 39, "PB7", "B71"),
        *_members("M-Q7-", 11, "PQ7", "B71"),
        *[dict(m, building_id="") for m in _members("M-C3-", 48, "PC3", "B71")],
        *_members("M-Q1-", 3, "PQ1", "B11"),
    ],
    "posts": [
        _post("P-W1", "PW1", "secretary"),
        _post("P-C1", "PC1", "secretary"),
        _post("P-C1", "G1", "grid_leader"),
        _post("P-C2", "PC2", "secretary", "2020-01-01", "2025-06-30"),
        _post("P-C3", "PC3", "secretary"),
        _post("P-G3", "PG3", "secretary"),
        _post("P-J", "PJ", "secretary"),
        _post("P-J", "MC2", "chair"),
        _post("P-B7", "PB7", "secretary"),
        _post("P-M3", "F3", "manager"),
        _post("P-M3", "PB7", "part_time_member"),
        _post("P-F1", "PF1", "secretary"),
        _post("P-G", "E3", "party_guide", "2023-01", "2024-12-31"),
        _post("P-E4g", "E4", "party_guide"),
        _post("P-FG", "F2", "party_guide"),
        _post("P-O1", "OC1", "chair"),
        _post("P-O2", "OC1", "vice_chair"),
        _post("P-O3", "OC1", "member"),
        _post("P-O4", "OC1", "member", "2019-01-01", "2023-12-31"),
        _post("P-O7a", "OC7", "chair"),
        _post("P-O7b", "OC7", "member"),
    ],
    "pairings": [
        {"unit_id": "U1", "target_id": "C1", "since": "2023-03-01"},
        {"unit_id": "U2", "target_id": "E5", "since": "2023-03-01"},
        {"unit_id": "U3", "target_id": "C3", "since": "2022-07-01"},
        {"unit_id": "U5", "target_id": "C1", "since": "2030-01-01"},
    ],
    "reports": [
        {"person_id": "P-S1", "community_id": "C1", "since": "2023-05-01"},
        {"person_id": "P-S2", "community_id": "C1", "since": "2023-05-01"},
        {"person_id": "P-S4", "community_id": "C1", "since": "2030-01-01"},
    ],
}
