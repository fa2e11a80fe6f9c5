"""Registry failures and their Chinese messages."""

from __future__ import annotations

from collections.abc import Mapping

from app.errors import AppError

# Field names in messages, as the clerk sees them.
FIELD_LABELS = {
    "name": "名称",
    "community_id": "所属社区",
    "management_mode": "管理模式",
    "build_year": "建成年份",
    "head_phone": "楼院长电话",
    "manager_contact": "管理方联系方式",
    "building": "楼号",
    "unit": "单元",
    "room": "房号",
    "area": "建筑面积",
    "status": "房屋状态",
    "householder_name": "户主姓名",
    "id_number": "身份证号",
    "phone": "联系电话",
    "gender": "性别",
    "relation": "与户主关系",
    "tags": "标签",
}


class ValidationError(AppError):
    """One or more fields are wrong; `errors` maps field name → Chinese message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        text = "；".join(f"{FIELD_LABELS.get(k, k)}：{v}" for k, v in self.errors.items())
        super().__init__(text or "输入有误")


class CompoundNotEmpty(AppError):
    """A compound with households is deleted only when the caller confirms the cascade."""

    def __init__(self, name: str, households: int) -> None:
        super().__init__(
            f"楼院“{name}”下还有 {households} 户住户，删除楼院将同时删除这些住户及其居民信息。"
        )
        self.households = households


class BuildingNotEmpty(AppError):
    """A building with households cannot be deleted."""

    def __init__(self, name: str, households: int) -> None:
        super().__init__(f"{name}号楼下还有 {households} 户住户，请先删除或迁出这些住户。")
        self.households = households


class RecordsAttached(AppError):
    """Money, survey or ledger records point at it: deleting would lose them."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"该{what}已有收费、缴费、调查或问题台账等记录，不能删除，以免丢失账目和档案。"
        )
