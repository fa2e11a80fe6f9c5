"""Reading the audit log: filtered, newest first, in pages (the log itself is append-only)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.audit import Actor
from app.auth import Permission, require
from app.money import format_yuan
from app.registry.validation import centi_to_area
from db.models import AuditEntry

ACTION_LABELS = {
    "create": "新增",
    "update": "修改",
    "delete": "删除",
    "import": "导入",
    "bill": "生成账单",
    "pay": "收费",
    "open": "开始",
    "close": "结束",
    "start": "开始处理",
    "reopen": "重新打开",
    "state": "改变状态",
    "login": "登录",
    "login_failed": "登录失败",
    "lock": "锁定账户",
    "unlock": "解锁账户",
    "change_password": "修改密码",
    "reset_password": "重置密码",
    "recover": "账户恢复（未经登录）",
    "backup": "备份",
    "restore": "恢复",
    "export": "导出",
    "export_unmasked": "导出（不打码）",
    "void": "作废",
}
ENTITY_LABELS = {
    "community": "社区",
    "compound": "楼院",
    "compound_convention": "楼院公约",
    "building": "楼栋",
    "household": "住户",
    "resident": "居民",
    "user": "用户",
    "database": "数据库",
    "fee_scheme": "收费方案",
    "fee_payment": "缴费",
    "fee_expense": "支出",
    "organisation": "组织",
    "meeting": "议事会议",
    "problem": "楼院问题",
    "problem_category": "问题类别",
    "survey": "调查",
    "survey_response": "调查答卷",
}
# Names of the fields the log records, for people (fields not listed show their own name).
FIELD_LABELS = {
    "name": "名称",
    "householder_name": "户主",
    "id_number": "身份证号",
    "phone": "电话",
    "room": "房号",
    "area_centi": "建筑面积",
    "status": "状态",
    "notes": "备注",
    "note": "备注",
    "address": "地址",
    "username": "用户名",
    "role": "角色",
    "created": "新增",
    "updated": "更新",
    "households": "户数",
    "compounds": "楼院数",
    "amount": "金额",
    "method": "方式",
    "receipt_no": "收据号",
    "household_id": "住户编号",
    "household": "住户",
    "category": "类别",
    "month": "月份",
    "months": "月数",
    "period": "账期",
    "charges": "账单数",
    "total_fen": "合计",
    "title": "标题",
    "responses": "答卷数",
    "survey": "调查",
    "outcome": "走访结果",
    "state": "状态",
    "resolution": "处理结果",
    "closed_on": "办结日期",
    "reason": "原因",
}


@dataclass(frozen=True)
class AuditFilter:
    username: str = ""
    entity: str = ""
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None  # inclusive
    entity_id: int | None = None


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    username: str
    action: str
    entity: str
    entity_id: int | None
    before: str
    after: str
    note: str

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def entity_label(self) -> str:
        return ENTITY_LABELS.get(self.entity, self.entity)

    @property
    def before_text(self) -> str:
        return describe(self.before)

    @property
    def after_text(self) -> str:
        return describe(self.after)


def describe(recorded: str) -> str:
    """A logged value set for people: "户主：张三；电话：13812345678；建筑面积：85.60㎡".

    Money (fields ending in _fen, and 金额) in yuan, areas in m², empty values as "（空）";
    text that is not a recorded set is shown as it is.
    """
    if not recorded:
        return ""
    try:
        values = json.loads(recorded)
    except ValueError:
        return recorded
    if not isinstance(values, dict):
        return recorded
    return "；".join(f"{FIELD_LABELS.get(k, k)}：{_value(k, v)}" for k, v in values.items())


def _value(key: str, value: Any) -> str:  # noqa: PLR0911 - one return per kind of value
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int) and key.endswith("_fen"):
        return f"{format_yuan(value)}元"
    if key == "amount":  # logged already formatted: "1,234.50"
        return f"{value}元"
    if isinstance(value, int) and key == "area_centi":
        return f"{centi_to_area(value)}㎡"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    total: int
    offset: int


@dataclass(frozen=True)
class AuditChoices:
    """The values present in the log, for the viewer's filter lists."""

    usernames: list[str]
    entities: list[str]
    actions: list[str]


def _filtered(query: Select[Any], flt: AuditFilter) -> Select[Any]:
    if flt.username:
        query = query.where(AuditEntry.username == flt.username)
    if flt.entity:
        query = query.where(AuditEntry.entity == flt.entity)
    if flt.action:
        query = query.where(AuditEntry.action == flt.action)
    if flt.entity_id is not None:
        query = query.where(AuditEntry.entity_id == flt.entity_id)
    if flt.date_from is not None:
        start = dt.datetime.combine(flt.date_from, dt.time())
        query = query.where(AuditEntry.at >= start)
    if flt.date_to is not None:
        end = dt.datetime.combine(flt.date_to + dt.timedelta(days=1), dt.time())
        query = query.where(AuditEntry.at < end)
    return query


class AuditQueryService:
    """The audit log viewer's queries (administrators only)."""

    def __init__(self, sessions: sessionmaker[Session], actor: Actor) -> None:
        self._sessions = sessions
        self._actor = actor

    def page(self, flt: AuditFilter | None = None, offset: int = 0, limit: int = 200) -> AuditPage:
        """One page of entries matching the filter, newest first, and how many match."""
        require(self._actor, Permission.VIEW_AUDIT)
        flt = flt or AuditFilter()
        with self._sessions() as s:
            total = s.scalar(_filtered(select(func.count()).select_from(AuditEntry), flt)) or 0
            entries = s.scalars(
                _filtered(select(AuditEntry), flt)
                .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                .offset(max(0, offset))
                .limit(max(1, limit))
            ).all()
            rows = [
                AuditRow(
                    e.id,
                    e.at,
                    e.username,
                    e.action,
                    e.entity,
                    e.entity_id,
                    e.before,
                    e.after,
                    e.note,
                )
                for e in entries
            ]
        return AuditPage(rows, total, offset)

    def choices(self) -> AuditChoices:
        require(self._actor, Permission.VIEW_AUDIT)
        with self._sessions() as s:

            def distinct(column: Any) -> list[str]:
                return list(s.scalars(select(column).distinct().order_by(column)))

            return AuditChoices(
                distinct(AuditEntry.username),
                distinct(AuditEntry.entity),
                distinct(AuditEntry.action),
            )
