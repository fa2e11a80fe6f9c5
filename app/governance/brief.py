"""工作简报: the period's governance figures written out in the style of the district bulletins."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from app.dashboard import DashboardFigures, SurveyFigure, fee_totals
from app.governance.dto import CLOSED, KINDS, mean_days, percent
from app.governance.forces import ForceFigures, force_figures
from app.governance.organisations import GovernanceBase, coverage_rows, summarise_coverage
from app.money import format_yuan
from db.models import (
    Community,
    Compound,
    CompoundConvention,
    Grid,
    Meeting,
    Organisation,
    Problem,
    ProblemCategory,
    Resolution,
)

LEVELS = {1: "一级网格", 2: "二级网格", 3: "三级网格", 4: "微网格"}
FOCUS = ("飞线充电", "杂物堆积", "非机动车乱停乱放")


@dataclass(frozen=True)
class BriefDraft:
    """The brief as the clerk will edit it: a title, a header line and the body text."""

    title: str
    header: str
    body: str


def _cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


class BriefService(GovernanceBase):
    """Drafts the work brief from the data; the window lets the clerk edit it before printing."""

    def draft(
        self,
        start: dt.date,
        end: dt.date,
        community_id: int | None = None,
        office: str = "",
    ) -> BriefDraft:
        """The brief for problems and meetings dated start..end (inclusive)."""
        with self._sessions() as s:
            scope = "本街道"
            if community_id is not None:
                scope = s.get_one(Community, community_id).name
            compounds_q = select(Compound.id, Compound.management_mode)
            if community_id is not None:
                compounds_q = compounds_q.where(Compound.community_id == community_id)
            compounds = dict(s.execute(compounds_q).all())
            ids = list(compounds)
            coverage = summarise_coverage(coverage_rows(s, community_id))[-1]
            org_counts = Counter(
                k
                for (k,) in s.execute(
                    select(Organisation.kind).where(Organisation.compound_id.in_(ids))
                )
            )
            conventions = (
                s.scalar(
                    select(func.count())
                    .select_from(CompoundConvention)
                    .where(CompoundConvention.compound_id.in_(ids))
                )
                or 0
            )
            grid_q = (
                select(Grid.level, func.count())
                .where(Grid.exclusive.is_(False))
                .group_by(Grid.level)
            )
            exclusive_q = select(func.count()).select_from(Grid).where(Grid.exclusive.is_(True))
            if community_id is not None:
                grid_q = grid_q.where(Grid.community_id == community_id)
                exclusive_q = exclusive_q.where(Grid.community_id == community_id)
            grids = dict(s.execute(grid_q).all())
            exclusive = s.scalar(exclusive_q) or 0
            forces = force_figures(s, end, community_id)
            meeting_rows = s.execute(
                select(Meeting.id, Meeting.kind).where(
                    Meeting.compound_id.in_(ids), Meeting.held_on.between(start, end)
                )
            ).all()
            meetings = [mid for mid, _kind in meeting_rows]
            meeting_kinds = Counter(kind for _mid, kind in meeting_rows)
            res = (
                s.execute(
                    select(Resolution.passed).where(Resolution.meeting_id.in_(list(meetings)))
                )
                .scalars()
                .all()
            )
            problems = s.execute(
                select(
                    ProblemCategory.name,
                    Problem.status,
                    Problem.reported_on,
                    Problem.closed_on,
                    Problem.deadline,
                    Problem.handler_kind,
                )
                .join(ProblemCategory, ProblemCategory.id == Problem.category_id)
                .where(Problem.compound_id.in_(ids), Problem.reported_on.between(start, end))
            ).all()
        modes = Counter(compounds.values())
        paragraphs = [
            f"{_cn_date(start)}至{_cn_date(end)}，{scope}围绕楼院治理“三类组织”全覆盖、网格化服务和"
            f"楼院问题大起底，各项工作扎实推进。现将有关情况通报如下。",
            self._organisations(
                len(ids), coverage.complete, coverage.rate, org_counts, conventions
            ),
            self._management(modes, forces),
            grids_sentence(grids, exclusive, forces),
            self._meetings(meeting_kinds, len(res), sum(1 for p in res if p)),
            self._problems(problems, end),
            self._fees_and_surveys(community_id),
            forces_sentence(forces, problems),
        ]
        title = "楼院治理工作简报"
        header = f"{office or scope}　　{_cn_date(end)}"
        return BriefDraft(title, header, "\n".join(p for p in paragraphs if p))

    @staticmethod
    def _organisations(
        total: int, complete: int, rate: object, counts: Counter[str], conventions: int
    ) -> str:
        kinds = "、".join(f"{k}{counts.get(k, 0)}个" for k in KINDS)
        text = (
            f"一、建强组织。{total}个楼院中已有{complete}个实现“三类组织”（党组织、自治组织、"
            f"志愿服务组织）全覆盖，覆盖率{rate}%；共建立{kinds}。"
        )
        if total - complete:
            text += f"尚有{total - complete}个楼院未实现全覆盖，正在逐院补齐。"
        if conventions:
            text += f"{conventions}个楼院制定了楼院公约。"
        return text

    @staticmethod
    def _management(modes: Counter[str], forces: ForceFigures) -> str:
        if not modes:
            return ""
        parts = "、".join(f"{mode}{n}个" for mode, n in modes.most_common())
        text = f"二、楼院管理。现有楼院按管理模式分：{parts}。"
        text += public_company_sentence(forces)
        if modes.get("无主管"):
            text += f"仍有{modes['无主管']}个无主管楼院，将通过居民议事协商确定管理方式。"
        return text

    @staticmethod
    def _meetings(kinds: Counter[str], resolutions: int, passed: int) -> str:
        """四: meetings by kind (见面会 to mobilise, 议事会 and 协商会 to decide)."""
        if not kinds:
            return "四、民主协商。本期未召开居民议事会。"
        held = "、".join(f"{k}{kinds[k]}次" for k in ("见面会", "议事会", "协商会") if kinds.get(k))
        return (
            f"四、民主协商。本期召开居民{held}，形成决议{resolutions}项，其中表决通过{passed}项。"
        )

    @staticmethod
    def _problems(rows: Sequence[Any], end: dt.date) -> str:
        total = len(rows)
        if not total:
            return "五、问题整治。本期未登记楼院问题。"
        closed = [r for r in rows if r[1] == CLOSED]
        days = sum(((r[3] or r[2]) - r[2]).days for r in closed)
        by_cat = Counter(r[0] for r in rows)
        focus = "、".join(f"{c}{by_cat[c]}件" for c in FOCUS if by_cat.get(c))
        overdue = sum(1 for r in rows if r[1] != CLOSED and r[4] is not None and r[4] < end)
        avg = mean_days(days, len(closed))
        text = (
            f"五、问题整治。开展楼院问题大起底、大排查行动，本期共排查登记问题{total}件，"
            f"已办结{len(closed)}件，办结率{percent(len(closed), total)}%"
        )
        text += f"，平均办理{avg}天。" if avg is not None else "。"
        if focus:
            text += f"其中{focus}，均已列入重点整治。"
        if overdue:
            text += f"尚有{overdue}件逾期未办结，已督促责任网格限期办理。"
        return text

    def _fees_and_surveys(self, community_id: int | None) -> str:
        """六: collection rate to date; open and closed surveys' coverage and satisfaction."""
        figures = DashboardFigures(self._sessions)
        fees = fee_totals(figures.fees_by_compound(community_id))
        surveys = figures.surveys(community_id)
        if not fees.compounds and not surveys:
            return ""
        parts = []
        if fees.compounds:
            parts.append(
                f"{fees.compounds}个楼院已开始收取物业费，累计应收{format_yuan(fees.charged_fen)}元、"
                f"实收{format_yuan(fees.paid_fen)}元，物业费收缴率"
                f"{percent(fees.paid_fen, fees.charged_fen)}%，欠费{fees.households_in_arrears}户"
            )
        if surveys:
            shown = surveys[-3:]  # the newest three
            lead = f"开展入户调查{len(surveys)}次" + ("，最近3次：" if len(surveys) > 3 else "：")
            parts.append(lead + "；".join(_survey_text(f) for f in shown))
        return "六、物业收费与入户调查。" + "；".join(parts) + "。"


def _survey_text(f: SurveyFigure) -> str:
    text = (
        f"“{f.title}”入户调查覆盖{f.reached}户（应访{f.households}户，"
        f"覆盖率{percent(f.reached, f.households)}%）"
    )
    if f.satisfaction_valid:
        text += f"、满意率{percent(f.satisfaction_satisfied, f.satisfaction_valid)}%"
    return text


def public_company_sentence(f: ForceFigures) -> str:
    """组建公办物业: the public companies, the compounds they took over and the highest price."""
    if not f.public_served:
        return ""
    text = f"组建公办物业公司{f.public_companies}家，已入驻{f.public_served}个楼院"
    if f.ownerless_served:
        text += f"（其中无主管楼院{f.ownerless_served}个）"
    if f.max_price is not None:
        # the bulletins' way: 0.5元/平米, not 0.50
        text += f"，收费标准不高于{f.max_price.normalize():f}元/平米"
    text += "。"
    if f.cross_appointments:
        text += (
            f"组织社区干部以“双向引入、交叉任职”方式进入物业公司和业主自治组织"
            f"{f.cross_appointments}人。"
        )
    return text


def grids_sentence(levels: dict[int, int], exclusive: int, f: ForceFigures) -> str:
    """三、织密网格: the grid tree, its workers and young cadres, 支部建在网格上."""
    if not levels and not exclusive:
        return ""
    parts = [f"{LEVELS[k]}{levels[k]}个" for k in sorted(levels)]
    if exclusive:
        parts.append(f"专属网格{exclusive}个")
    text = f"三、织密网格。科学设置{'、'.join(parts)}"
    text += f"，配备网格员{f.by_kind.get('网格员', 0)}名"
    split = f.by_subkind.get("网格员", {})
    if split.get("专职") or split.get("兼职"):
        text += f"（专职{split.get('专职', 0)}名、兼职{split.get('兼职', 0)}名）"
    if f.by_kind.get("网格年轻历练干部"):
        text += f"，选派网格年轻历练干部{f.by_kind['网格年轻历练干部']}名"
    text += "，做到楼院事网格办。"
    total = f.grids_with_party + len(f.grids_without_party)
    text += f"坚持把“支部建在网格上”，{total}个网格中{f.grids_with_party}个建有党组织"
    if f.grids_without_party:
        shown = "、".join(p.rsplit(" / ", 1)[-1] for p in f.grids_without_party[:3])
        more = "等" if len(f.grids_without_party) > 3 else ""
        text += f"，尚有{len(f.grids_without_party)}个网格（{shown}{more}）未建立党组织"
    text += "。"
    if f.party_members:
        text += (
            f"{f.party_members}名党员中，{f.party_members_covered}名居住在已建党组织的网格内，"
            f"占{percent(f.party_members_covered, f.party_members)}%。"
        )
    return text


FORCE_ORDER = (
    ("社区工作者", "社区工作者{}名"),
    ("五老", "“五老”人员{}名"),
    ("物业人员", "物业人员{}名"),
    ("楼院长", "楼院长{}名"),
    ("楼栋长", "楼栋长{}名"),
    ("单元长", "单元长{}名"),
    ("党员中心户", "党员中心户{}户"),
    ("新就业群体", "新就业群体{}名"),
    ("志愿者", "志愿者{}名"),
)


FORCE_NAMES = {"五老": "“五老”人员"}


def forces_sentence(f: ForceFigures, problems: Sequence[Any]) -> str:
    """七、汇聚力量: the roster by kind, riders and couriers, problems of the period closed by
    each kind of force, and the recognitions of the newest year."""
    if not f.total:
        return ""
    parts = [fmt.format(f.by_kind[k]) for k, fmt in FORCE_ORDER if f.by_kind.get(k)]
    text = f"七、汇聚力量。将{'、'.join(parts)}等{f.total}名多元力量纳入基层治理队伍"
    riders = f.by_subkind.get("新就业群体", {})
    named = [(k, riders[k]) for k in ("外卖骑手", "快递员", "网约车司机") if riders.get(k)]
    if named:
        text += "，其中" + "、".join(f"{k}{n}名" for k, n in named)
        text += "，发挥新就业群体走街串巷的优势"
    text += "。"
    solved = Counter(r[5] for r in problems if r[1] == CLOSED and r[5])
    if solved:
        kinds = sorted(solved, key=lambda k: (-solved[k], k))
        text += (
            f"本期由治理力量经办办结问题{sum(solved.values())}件，其中"
            + "、".join(f"{FORCE_NAMES.get(k, k)}{solved[k]}件" for k in kinds)
            + "。"
        )
    if f.recognition_year is not None and f.recognitions:
        stars = f.recognitions.get("服务之星", 0)
        projects = f.recognitions.get("优秀服务项目", 0)
        text += f"{f.recognition_year}年评选认定服务之星{stars}名、优秀服务项目{projects}个。"
    return text
