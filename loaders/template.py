"""The Excel import template: one sheet per file of the import format, Chinese headers,
drop-down lists for every enumeration, and a sheet of instructions — all read off the contract
and the model, so the template cannot drift from what the loader accepts."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from orgnet.graph.model import NODES, Kind, Label

from .contract import FILES, Column, FileSpec

INSTRUCTIONS = "说明"
CHOICES = "选项"  # a hidden sheet holding the drop-down lists
TEMPLATE_SHEETS = {INSTRUCTIONS, CHOICES}
ROWS_WITH_DROPDOWNS = 5000

_REQUIRED = PatternFill("solid", fgColor="FCE4D6")
_OPTIONAL = PatternFill("solid", fgColor="DDEBF7")

_KIND_HELP = {
    Kind.TEXT: "文本",
    Kind.INT: "整数",
    Kind.BOOL: "是/否",
    Kind.DATE: "日期：2023-05-01、2023/5/1、2023年5月1日 或 2023-05",
    Kind.ENUM: "下拉选择",
    Kind.PHONE: "手机或固定电话：13800000001、0351-6021234（请将该列设为文本格式）",
}


def _meaning(column: Column) -> str:
    if column.refs:
        names = "、".join(NODES[label].zh for label in column.refs)
        several = "；多个编号用分号 ; 分隔" if column.many else ""
        return f"填写{names}的编号{several}"
    assert column.prop is not None
    if column.prop.vocabulary is not None:
        return "下拉选择：" + "、".join(c.label for c in column.prop.vocabulary.choices)
    return _KIND_HELP[column.prop.kind]


def _header(spec: FileSpec, column: Column) -> str:
    """A column's Chinese header: a person's name is 姓名, any other thing's 名称."""
    if column.name == "name" and spec.label is Label.PERSON:
        return "姓名"
    return column.header


def write_template(path: Path) -> None:
    """Write the template workbook to ``path`` (.xlsx)."""
    book = Workbook()
    guide = book.active
    assert guide is not None
    guide.title = INSTRUCTIONS
    guide.append(["orgnet 导入模板"])
    guide["A1"].font = Font(bold=True, size=14)
    guide.append(["每个工作表对应一类数据；表头为中文或英文列名均可。橙色为必填列，蓝色为选填列。"])
    guide.append(["编号在整个数据集中唯一（不论类别）；引用其他对象时填写其编号。"])
    guide.append(["区域表必填；其余各表可选，可分多次导入。导入前会整体校验，有任何错误则不写入。"])
    guide.append([])
    guide.append(["工作表", "列名", "英文列名", "必填", "说明"])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)

    choices = book.create_sheet(CHOICES)
    choice_ranges: dict[str, str] = {}

    for spec in FILES:
        sheet = book.create_sheet(spec.zh)
        for i, column in enumerate(spec.columns, start=1):
            header = _header(spec, column)
            cell = sheet.cell(row=1, column=i, value=header)
            cell.font = Font(bold=True)
            cell.fill = _REQUIRED if column.required else _OPTIONAL
            cell.alignment = Alignment(horizontal="center")
            dimension = sheet.column_dimensions[get_column_letter(i)]
            dimension.width = max(12, 3 * len(header))
            if column.refs or (column.prop and column.prop.kind in (Kind.TEXT, Kind.PHONE)):
                # Typed as text: Excel would otherwise turn a phone into 1.38E+10 and an id
                # such as 001 into 1.
                dimension.number_format = "@"
            guide.append(
                [
                    spec.zh,
                    header,
                    column.name,
                    "是" if column.required else "",
                    _meaning(column),
                ]
            )
            if column.prop is not None and column.prop.kind is Kind.BOOL:
                # 是否党员, 是否兼职: a drop-down of 是 / 否, as a clerk answers them.
                yes_no = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
                yes_no.error = "请选择“是”或“否”"
                yes_no.add(f"{get_column_letter(i)}2:{get_column_letter(i)}{ROWS_WITH_DROPDOWNS}")
                sheet.add_data_validation(yes_no)
            vocabulary = column.prop.vocabulary if column.prop else None
            if vocabulary is None:
                continue
            if vocabulary.name not in choice_ranges:
                col = len(choice_ranges) + 1
                letter = get_column_letter(col)
                choices.cell(row=1, column=col, value=vocabulary.zh)
                for r, choice in enumerate(vocabulary.choices, start=2):
                    choices.cell(row=r, column=col, value=choice.label)
                last = len(vocabulary.choices) + 1
                choice_ranges[vocabulary.name] = f"{CHOICES}!${letter}$2:${letter}${last}"
            letter = get_column_letter(i)
            validation = DataValidation(
                type="list", formula1=f"={choice_ranges[vocabulary.name]}", allow_blank=True
            )
            validation.error = "请从下拉列表中选择"
            validation.add(f"{letter}2:{letter}{ROWS_WITH_DROPDOWNS}")
            sheet.add_data_validation(validation)
        sheet.freeze_panes = "A2"
    choices.sheet_state = "hidden"
    for letter, width in zip("ABCDE", (12, 16, 16, 6, 80), strict=True):
        guide.column_dimensions[letter].width = width
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
