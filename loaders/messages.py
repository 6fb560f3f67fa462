"""What a problem in a dataset says, in Chinese and in English, written once.

A ``Problem`` carries a stable ``code`` (what is wrong), an optional ``hint`` code (what to do)
and the parameters both need; the words are here, so the command can speak Chinese to a clerk
(the default) or English (``--lang en``), and an API client can rely on the codes.

Parameters named in ``LABEL_PARAMS`` hold labels of the model (``Estate``) or lists of them, and
are put into words per language: "an Estate or a Building" / "小区或楼栋"; a ``vocabulary``
parameter names an enumeration of the model, in Chinese by its Chinese name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from orgnet.graph.model import NODES, VOCABULARIES, Label

LANGS = ("zh", "en")


class Words(NamedTuple):
    en: str
    zh: str


# code → what is wrong
REASONS: dict[str, Words] = {
    # -- the dataset as a whole, and its files
    "no_files": Words(
        "no file of the import format found here",
        "没有找到导入格式的文件",
    ),
    "no_regions": Words("no regions file", "缺少区域表"),
    "two_sources": Words(
        "two sources for the table {table}: {first} and {second}",
        "“{table}”表有两个来源：{first} 和 {second}",
    ),
    "not_xlsx": Words(
        "not a readable .xlsx workbook ({detail})",
        "不是可读取的 .xlsx 工作簿（{detail}）",
    ),
    "unreadable": Words("cannot be read ({detail})", "无法读取（{detail}）"),
    "merged_cells": Words(
        "merged cells ({area}): only the first holds the value, the others would read as emptied",
        "合并单元格（{area}）：只有第一个单元格有值，其余会被当作已清空",
    ),
    "excel_error": Words(
        "Excel's error value: the formula that made it failed",
        "Excel 错误值：生成它的公式出错",
    ),
    "formula_without_value": Words(
        "a formula saved without its value: the workbook was saved without calculating it",
        "公式没有保存计算结果：工作簿保存时未重新计算",
    ),
    "file_changed": Words(
        "the file changed while it was being loaded",
        "文件在导入过程中被修改",
    ),
    # -- encodings
    "wrong_encoding": Words(
        "the file is {encoding}, which orgnet does not read",
        "文件编码为 {encoding}，无法读取",
    ),
    "nul_bytes": Words(
        "the line holds NUL bytes: the file is UTF-16 or not text",
        "该行含有 NUL 字节：文件可能是 UTF-16 编码或不是文本文件",
    ),
    "bom_not_utf8": Words(
        "the file is marked as UTF-8 but this line is not UTF-8 (byte 0x{byte})",
        "文件标记为 UTF-8，但该行不是 UTF-8 编码（字节 0x{byte}）",
    ),
    "mixed_encoding": Words(
        "this line is not UTF-8 (byte 0x{byte}), while line {utf8_line} is: the file mixes "
        "encodings",
        "该行不是 UTF-8 编码（字节 0x{byte}），而第 {utf8_line} 行是：文件混用了多种编码",
    ),
    "not_utf8_or_gb18030": Words(
        "neither UTF-8 nor GB18030 (byte 0x{byte})",
        "既不是 UTF-8 也不是 GB18030 编码（字节 0x{byte}）",
    ),
    "unlikely_gb18030": Words(
        "read as GB18030 the text is unlikely characters ({sample}): the file is in another "
        "encoding (Big5, or UTF-8 garbled by a conversion)",
        "按 GB18030 解读为不常见的字符（{sample}）："
        "文件应为其他编码（如繁体 Big5，或转换出错的 UTF-8）",
    ),
    "utf8_in_gb18030": Words(
        "a cell of this line is UTF-8 ({sample}) in a file that is GB18030: the file mixes "
        "encodings",
        "该行有一个单元格是 UTF-8 编码（{sample}），而文件是 GB18030 编码：文件混用了多种编码",
    ),
    "utf8_read_as_gbk": Words(
        "the text is garbled ({sample}…, once {repaired}…): a program read the UTF-8 file as "
        "GBK and saved it again",
        "文字是乱码（{sample}…，原为 {repaired}…）：文件曾被当作 GBK 打开后另存",
    ),
    # -- CSV structure
    "unclosed_quote": Words(
        "a quoted value opened on this line is never closed",
        "从该行开始的引号没有闭合",
    ),
    "quote_runs_on": Words(
        "a quoted value opened on this line runs on to line {end}",
        "从该行开始的引号一直延续到第 {end} 行",
    ),
    "text_after_quote": Words(
        "text follows the closing quote of a value",
        "引号闭合后还有多余内容",
    ),
    "runaway_value": Words(
        "a value of more than {limit} characters starts on this line",
        "从该行开始的内容超过 {limit} 个字符",
    ),
    "cell_too_long": Words(
        "a value of {length} characters; the limit is {limit}",
        "内容长达 {length} 个字符，超过上限 {limit}",
    ),
    "extra_cells": Words(
        "the row has {cells} cells, the header {columns}",
        "该行有 {cells} 个单元格，而表头只有 {columns} 列",
    ),
    "no_header": Words("a value in a column with no header", "该列没有表头，却填有内容"),
    "duplicate_column": Words(
        "a second column for {name} (the first is {first})",
        "重复的列：“{first}”已对应 {name}",
    ),
    "required_column": Words("required column missing", "缺少必填列"),
    # -- values
    "missing_value": Words("missing required value", "必填项为空"),
    "control_character": Words(
        "holds a control character ({char})",
        "含有控制字符（{char}）",
    ),
    "line_break": Words("holds a line break", "内容中含有换行"),
    "break_inside_row": Words(
        "a line break (CR) inside the row, where the file's lines end otherwise: the row would "
        "be cut in two",
        "行内有一个换行符（CR），与文件其余各行的换行方式不同：这一行会被拆成两行",
    ),
    "not_integer": Words("not a whole number", "不是整数"),
    "negative_count": Words("negative count", "数量不能为负数"),
    "below_minimum": Words("below {minimum}", "小于下限 {minimum}"),
    "above_maximum": Words("above {maximum}", "超过上限 {maximum}"),
    "unparsable_date": Words("unparsable date", "无法识别的日期"),
    "not_calendar_date": Words("not a calendar date", "日历上没有这一天"),
    "month_out_of_range": Words("month out of range", "月份超出范围"),
    "date_out_of_range": Words(
        "a date outside {earliest}–{latest}",
        "日期不在 {earliest} 至 {latest} 之间",
    ),
    "not_boolean": Words("not a yes/no value", "不是“是/否”值"),
    "unknown_enum": Words("unknown {vocabulary}", "不是可选的{vocabulary}"),
    "phone_scientific": Words(
        "a phone number shown as a spreadsheet number ({number}): its last digits are lost",
        "电话号码被表格软件显示为科学计数（{number}），后几位已丢失",
    ),
    "bad_phone": Words(
        "not a mainland mobile or landline number",
        "不是有效的手机或固定电话号码",
    ),
    # -- rows and references
    "district_parent": Words("a district has no parent", "区县没有上级区域"),
    "non_member_category": Words("a non-member has a member category", "非党员不应填写党员类别"),
    "non_member_org": Words("a non-member has a party organization", "非党员不应填写所在党组织"),
    "duplicate_id": Words("duplicate id", "编号重复"),
    "lookalike_id": Words(
        "the id holds characters that only look like others (full-width letters or digits, "
        "a radical for a character, a decomposed form)",
        "编号中有外形相似的字符（全角字母或数字、部首代替汉字、分解形式）",
    ),
    "id_reused": Words(
        "id already names {found} in the database; ids are unique across every kind",
        "该编号在数据库中已属于{found}；编号在所有类别中唯一",
    ),
    "unknown_id": Words(
        "unknown id: exists neither in the dataset nor in the database",
        "编号不存在：数据集和数据库中都没有",
    ),
    "wrong_label": Words(
        "names {found}; expected {expected}",
        "该编号属于{found}，此处应为{expected}",
    ),
    # -- a load limited to a jurisdiction (an upload by an API key of a district, street or
    # community): the words say nothing of what lies outside, not even whether it exists
    "not_in_reach": Words(
        "neither in the dataset nor within the jurisdiction this load is limited to",
        "编号不存在：数据集中没有，本次导入的管辖范围内也没有",
    ),
    "outside_jurisdiction": Words(
        "this id is used outside the jurisdiction this load is limited to; it cannot be "
        "written here",
        "该编号已被管辖范围以外的对象使用，本次导入不能写入",
    ),
    "not_placed": Words(
        "this new {label_plain} must lie within the jurisdiction this load is limited to",
        "新增的{label_plain}必须位于本次导入的管辖范围内",
    ),
    "lets_go_outside": Words(
        "this would end a link to something outside the jurisdiction this load is limited to",
        "该修改会解除与管辖范围以外对象的关联",
    ),
    "repeated_link": Words(
        "repeats the relationship of {at} (the same two, and for a post the same role)",
        "与 {at} 的关系重复（同样的两端；任职还包括同样的职务）",
    ),
    "more_problems": Words(
        "{count} more problems of the kind {kind} (the first {kept} are listed)",
        "另有 {count} 处同类问题（{kind}），仅列出前 {kept} 处",
    ),
    "unit_liaison": Words(
        "a unit liaises with a community; this names {found}",
        "单位只能包联社区，该编号属于{found}",
    ),
    "until_not_after_since": Words(
        "ends before it starts ({since}): never current",
        "结束时间早于开始时间（{since}），任何时候都不生效",
    ),
    "term_before_founding": Words(
        "the term starts before the org was founded ({founded})",
        "本届任期开始早于组织成立时间（{founded}）",
    ),
    "dissolved_before_founding": Words(
        "dissolved before it was founded ({founded}): it never existed",
        "撤销时间早于成立时间（{founded}），从未存在过",
    ),
    "joined_too_young": Words(
        "joined the party before eighteen (born {born})",
        "入党时未满十八周岁（出生于 {born} 年）",
    ),
    "membership_before_joining": Words(
        "the membership moved into the org before the person joined the party ({joined})",
        "组织关系转入时间早于入党时间（{joined}）",
    ),
    "post_needs_member": Words(
        "a {role} must be a party member, and this person's row says not",
        "“{role}”须由党员担任，而此人登记为非党员",
    ),
    "post_not_held_there": Words(
        "a {role} is not a post of {found}",
        "{found}没有“{role}”这一职务",
    ),
    "membership_date_without_org": Words(
        "a membership date without a party organization",
        "填写了组织关系转入时间，却没有所在党组织",
    ),
    "reports_to_cycle": Words(
        "REPORTS_TO cycle: {cycle}",
        "上级党组织形成循环：{cycle}",
    ),
}

# Notices: what was passed over or read unusually; said beside the result, never in its way.
REASONS.update(
    {
        "passed_over_file": Words(
            "not a file of the import format; passed over", "不是导入格式的文件，已跳过"
        ),
        "passed_over_sheet": Words(
            "not a sheet of the import format; passed over", "不是导入格式的工作表，已跳过"
        ),
        "unknown_column": Words(
            "the column '{heading}' is not in the import format; passed over",
            "列“{heading}”不属于导入格式，已忽略",
        ),
        "type_not_below_parent": Words(
            "a {type} reporting to a {parent_type}: an org's type is below its parent's "
            "(a group's parent is a branch or a general branch); this does not stop the load, "
            "and orgnet rules lists it",
            "{type}隶属于{parent_type}：组织类型应低于上级（党小组的上级应为党支部或党总支）；"
            "不影响导入，orgnet rules 会列出",
        ),
        "residents_without_households": Words(
            "{count} resident(s) of this load live in estate {estate}, which records 0 "
            "households; this does not stop the load — correct the households",
            "本次导入有 {count} 名居民住在小区 {estate}，而该小区登记户数为 0；不影响导入，"
            "请更正户数",
        ),
        "kept_column": Words(
            "the column '{heading}' is not in the import format; kept as a property "
            "(--keep-extra), and an emptied cell clears it",
            "列“{heading}”不属于导入格式，已按 --keep-extra 作为属性保存"
            "（清空的单元格会清除该属性）",
        ),
        "hidden_passed_over": Words(
            "a hidden sheet, passed over ({read} is read)",
            "隐藏的工作表，已跳过（读取的是 {read}）",
        ),
        "hidden_read": Words(
            "a hidden sheet, read as the only source of {table}",
            "隐藏的工作表，作为“{table}”表的唯一来源读取",
        ),
        "unchecked_references": Words(
            "{count} reference(s) to ids the dataset does not define were not checked: "
            "the database was not reachable",
            "有 {count} 处引用的编号不在本数据集中，因数据库无法连接而未核对",
        ),
        "nothing_written": Words(
            "{count} problem(s) in the dataset; nothing was written",
            "数据集中有 {count} 处问题，未写入任何数据",
        ),
    }
)

# hint code → what to do about it
HINTS: dict[str, Words] = {
    "unmerge": Words(
        "unmerge the cells and fill the value into each row",
        "请取消合并，并在每一行填写相应的值",
    ),
    "fix_formula": Words(
        "correct the formula, or type the value in its place",
        "请修正公式，或直接填写数值",
    ),
    "save_calculated": Words(
        "open the workbook in Excel or WPS and save it again, or paste the values over the "
        "formulas",
        "请用 Excel 或 WPS 打开后重新保存，或将公式“粘贴为数值”",
    ),
    "use_the_original": Words(
        "load the file as it was before it was saved again",
        "请使用另存之前的原文件重新导入",
    ),
    "save_as_utf8": Words(
        "save it as CSV UTF-8 and load it again",
        "请另存为“CSV UTF-8”格式后重新导入",
    ),
    "close_quote": Words(
        "close the quote, or remove it",
        "请补上缺少的引号，或删去多余的引号",
    ),
    "shorten": Words("shorten it; a cell holds one value", "请缩短；一个单元格只填一个值"),
    "remove_cells": Words(
        "remove the cells beyond the header, or add their column",
        "请删除表头以外的单元格，或为其添加表头",
    ),
    "keep_one_column": Words("keep one of the two columns", "请只保留其中一列"),
    "keep_one_source": Words("keep one of the two", "请只保留其中一个"),
    "add_column": Words(
        "add a column {name} or {header}",
        "请添加“{header}”列或英文列名为 {name} 的列",
    ),
    "add_regions": Words(
        "a dataset starts with regions.csv or a sheet 区域",
        "首次导入须包含 regions.csv 或“区域”工作表",
    ),
    "remove_control": Words(
        "remove it (it is invisible in most editors)",
        "请删除该字符，它在多数编辑器中看不见",
    ),
    "one_line": Words("write the value on one line", "请将内容写在一行内"),
    "date_forms": Words(
        "write it as 2023-05-01, 2023/5/1, 2023年5月1日 or 2023-05",
        "请写成 2023-05-01、2023/5/1、2023年5月1日 或 2023-05",
    ),
    "bool_forms": Words(
        "use 是/否, yes/no, true/false or 1/0",
        "请填写 是/否、yes/no、true/false 或 1/0",
    ),
    "did_you_mean": Words("did you mean {choice} ({name})?", "是否应为“{name}”？"),
    "one_of": Words("one of {choices}", "可选：{choices}"),
    "phone_as_text": Words(
        "format the column as text in the spreadsheet and type the number again",
        "请在表格软件中将该列设为“文本”格式后重新填写号码",
    ),
    "phone_forms": Words(
        "write it as 13800000001, 0351-6021234 or 010-62751234-123",
        "请写成 13800000001、0351-6021234 或 010-62751234-123",
    ),
    "leave_parent_empty": Words("leave parent_id empty", "请将上级编号留空"),
    "part_of": Words("{label} is part of {parent}", "{label}须隶属于{parent}"),
    "clear_category": Words(
        "clear the category, or mark the person as a party member",
        "请清空党员类别，或将该人员标为党员",
    ),
    "clear_org": Words(
        "clear the party organization, or mark the person as a party member",
        "请清空所在党组织，或将该人员标为党员",
    ),
    "first_defined": Words(
        "first defined at {at} as {label}",
        "已在 {at} 定义为{label}",
    ),
    "choose_another_id": Words(
        "choose another id for this {label_plain}",
        "请为该{label_plain}另选编号",
    ),
    "expected": Words("expected {expected}", "此处应为{expected}"),
    "swap_dates": Words(
        "check the two dates; they may be swapped",
        "请核对起止时间，可能填反了",
    ),
    "add_org": Words(
        "give the party organization (party_org_id) in the same row",
        "请在同一行填写所在党组织编号",
    ),
    "no_cycle": Words(
        "an organization cannot report to itself or one of its own subordinates",
        "党组织不能以自身或其下级为上级",
    ),
    # How a new entity comes to lie within a jurisdiction (not_placed), by its label.
    "place_District": Words(
        "a new district lies within no narrower jurisdiction; ask for a key of all",
        "新增区县不在任何下级管辖范围内，请使用全域密钥导入",
    ),
    "place_Street": Words(
        "give its district (parent_id) within the jurisdiction",
        "请填写管辖范围内的上级区县编号",
    ),
    "place_Community": Words(
        "give its street (parent_id) within the jurisdiction",
        "请填写管辖范围内的上级街道编号",
    ),
    "place_Grid": Words(
        "give its community (parent_id) within the jurisdiction",
        "请填写管辖范围内的所属社区编号",
    ),
    "place_Estate": Words(
        "give its community (community_id) within the jurisdiction",
        "请填写管辖范围内的所属社区编号",
    ),
    "place_Building": Words(
        "give its estate (estate_id) within the jurisdiction",
        "请填写管辖范围内的所属小区编号",
    ),
    "place_PartyOrg": Words(
        "give what it covers (covers), its parent org (parent_id) or its region (region_id), "
        "within the jurisdiction",
        "请填写管辖范围内的覆盖范围、上级党组织编号或所属区域编号",
    ),
    "place_OwnersCommittee": Words(
        "give its estate (estate_id) within the jurisdiction",
        "请填写管辖范围内的所属小区编号",
    ),
    "place_Unit": Words(
        "give its street (street_id) within the jurisdiction, or a current pairing with a "
        "place within it",
        "请填写管辖范围内的所属街道编号，或与管辖范围内的社区、小区的现行结对",
    ),
    "place_PropertyFirm": Words(
        "give a current management contract (management) of an estate within the jurisdiction",
        "请填写与管辖范围内小区的现行物业服务关系",
    ),
    "place_Person": Words(
        "give their building (building_id) or party org (party_org_id) within the jurisdiction, "
        "or a current post, report or liaison there",
        "请填写管辖范围内的居住楼栋编号或所在党组织编号，或在管辖范围内的现行任职、报到、包联",
    ),
    "one_row": Words(
        "keep one row for it; a post held again after a break keeps its latest period",
        "同一关系只保留一行；间断后再任同一职务的，只填最近一次的任期",
    ),
    "write_as": Words("write it as {plain}", "请写成 {plain}"),
    "load_again": Words(
        "nothing after this file was written; load the dataset again",
        "请重新导入；重复导入不会产生重复数据",
    ),
}

# Parameters that hold a label (or a list of labels) of the model, put into words per language.
LABEL_PARAMS = {"label", "found", "expected", "parent", "label_plain"}


# Parameters that hold a code of a vocabulary: said by its name in Chinese, spaced in English.
VOCABULARY_PARAMS = {"role": "role", "type": "org_type", "parent_type": "org_type"}


def _a(label: str) -> str:
    """The label with its article: an Estate, an OwnersCommittee, a Unit (said 'you-')."""
    return ("an " if label[:1] in "AEIO" else "a ") + label


def _label_words(key: str, value: object, lang: str) -> str:
    labels = [value] if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    if lang == "zh":
        names = [NODES[Label(x)].zh if x in Label._value2member_map_ else str(x) for x in labels]
        return "或".join(names)
    if key == "label_plain":
        return " or ".join(str(x) for x in labels)
    return " or ".join(_a(str(x)) for x in labels)


def words(table: Mapping[str, Words], code: str, params: Mapping[str, object], lang: str) -> str:
    """The text of ``code`` in ``lang`` with its parameters filled in."""
    template = getattr(table[code], "zh" if lang == "zh" else "en")
    filled = dict(params)
    for key, value in params.items():
        if key in LABEL_PARAMS:
            filled[key] = _label_words(key, value, lang)
        elif key == "vocabulary" and lang == "zh" and value in VOCABULARIES:
            filled[key] = VOCABULARIES[str(value)].zh
        elif key in VOCABULARY_PARAMS and isinstance(value, str):
            vocabulary = VOCABULARIES[VOCABULARY_PARAMS[key]]
            if lang == "zh":
                filled[key] = vocabulary.label(value)
            else:
                filled[key] = value.replace("_", " ")
    return template.format(**filled)


def join_labels(labels: Sequence[str]) -> tuple[str, ...]:
    """Labels as a parameter value (a tuple keeps a Problem hashable)."""
    return tuple(str(x) for x in labels)
