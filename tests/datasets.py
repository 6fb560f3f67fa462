"""Small named networks, written by hand, whose answers are worked out by hand in the tests."""

from __future__ import annotations

import copy


def street_with_two_communities() -> dict[str, list[dict]]:
    """One district, one street, two communities (C1 with grid G1), two estates (E1 in C1 and
    E2 in C2) covered by one joint branch, a firm managing E1, E1's owners' committee, a unit
    paired with C1, three people: a resident member who is the branch's secretary, a non-member
    who chairs the owners' committee, and an in-service member reported to C2."""
    return copy.deepcopy(_STREET)


_STREET: dict[str, list[dict]] = {
    "regions": [
        {"id": "D1", "name": "忻府区", "kind": "district", "parent_id": ""},
        {"id": "S1", "name": "新建路街道", "kind": "street", "parent_id": "D1"},
        {
            "id": "C1",
            "name": "和平社区",
            "kind": "community",
            "parent_id": "S1",
            "households": "1200",
            "category": "old_housing",
        },
        {"id": "C2", "name": "康乐社区", "kind": "社区", "parent_id": "S1", "households": "900"},
        {"id": "G1", "name": "第一网格", "kind": "grid", "parent_id": "C1", "households": "400"},
    ],
    "estates": [
        {
            "id": "E1",
            "name": "和平小区",
            "community_id": "C1",
            "households": "300",
            "built_year": "1998",
            "property_status": "有物业",
        },
        {
            "id": "E2",
            "name": "康乐家园",
            "community_id": "C2",
            "households": "120",
            "built_year": "2005",
            "property_status": "unmanaged",
        },
    ],
    "buildings": [
        {"id": "B1", "name": "1号楼", "estate_id": "E1", "grid_id": "G1", "households": "60"},
        {"id": "B2", "name": "2号楼", "estate_id": "E2", "grid_id": "", "households": "40"},
    ],
    "units": [{"id": "U1", "name": "区教育局", "kind": "agency", "street_id": "S1"}],
    "property_firms": [{"id": "F1", "name": "红枫物业", "star_rating": "4"}],
    "party_orgs": [
        {
            "id": "O-S1",
            "name": "新建路街道大工委",
            "type": "working_committee",
            "level": "street",
            "parent_id": "",
            "covers": "S1",
        },
        {
            "id": "O-C1",
            "name": "和平社区大党委",
            "type": "大党委",
            "level": "community",
            "parent_id": "O-S1",
            "covers": "C1",
        },
        {
            "id": "O-E1",
            "name": "和平康乐联合党支部",
            "type": "branch",
            "level": "estate",
            "parent_id": "O-C1",
            "covers": "E1;E2",
            "formation": "联合组建",
            "founded": "2021年3月",
        },
    ],
    "owners_committees": [
        {
            "id": "OC1",
            "name": "和平小区业委会",
            "estate_id": "E1",
            "kind": "业委会",
            "founded": "2020-05",
        },
    ],
    "management": [{"firm_id": "F1", "estate_id": "E1", "since": "2019/1/1"}],
    "persons": [
        {
            "id": "P1",
            "name": "张伟",
            "party_member": "是",
            "member_category": "居民党员",
            "party_org_id": "O-E1",
            "building_id": "B1",
            "phone": "13800000001",
        },
        {
            "id": "P2",
            "name": "李娜",
            "party_member": "no",
            "building_id": "B2",
            "member_category": "",
        },
        {
            "id": "P3",
            "name": "王强",
            "party_member": "yes",
            "member_category": "in_service",
            "employer_id": "U1",
            "building_id": "B1",
        },
    ],
    "posts": [
        {"person_id": "P1", "org_id": "O-E1", "role": "书记", "since": "2021-03-01"},
        {"person_id": "P2", "org_id": "OC1", "role": "chair", "since": "2020-05"},
    ],
    "pairings": [{"unit_id": "U1", "target_id": "C1", "since": "2022-01-01", "agreement": "GJ-1"}],
    "reports": [{"person_id": "P3", "community_id": "C2", "since": "2023-01-01"}],
    "liaisons": [{"liaison_id": "U1", "target_id": "C1", "scheme": "包联区直单位"}],
}
