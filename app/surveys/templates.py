"""Ready-made questionnaires a clerk starts from (then edits freely before the first answer)."""

from __future__ import annotations

from app.surveys.dto import QuestionInput, SurveyInput

SAT = "satisfaction5"

TEMPLATES: dict[str, SurveyInput] = {
    "物业服务满意度调查": SurveyInput(
        title="物业服务满意度调查",
        intro=(
            "尊敬的居民朋友：为了解公办物业入驻以来的服务情况，社区逐户开展本次调查。"
            "过渡期结束后是否开始收费，将以本次调查的满意度为依据。请在相应的方框内打“√”，"
            "感谢您的支持！"
        ),
        questions=(
            QuestionInput(SAT, "您对物业服务的总体评价"),
            QuestionInput(SAT, "楼道、院内的保洁"),
            QuestionInput(SAT, "门岗值守与院内秩序"),
            QuestionInput(SAT, "绿化养护"),
            QuestionInput(SAT, "报修响应与维修质量"),
            QuestionInput(SAT, "服务人员的态度"),
            QuestionInput("yesno", "您是否同意过渡期满后按公示标准缴纳物业费"),
            QuestionInput(
                "multiple",
                "您认为最需要改进的方面（可多选）",
                required=False,
                options=("保洁", "安保", "绿化", "维修", "停车秩序", "收费公开"),
            ),
            QuestionInput("text", "其他意见和建议", required=False),
        ),
    ),
    "收费标准意见征询": SurveyInput(
        title="收费标准意见征询",
        intro=(
            "经楼院居民议事会协商，拟定物业服务收费标准如下（不高于每月每平方米0.50元），"
            "现逐户征求意见。请在相应的方框内打“√”。"
        ),
        questions=(
            QuestionInput(
                "single",
                "您对拟定收费标准的意见",
                options=("同意", "基本同意", "不同意"),
            ),
            QuestionInput(
                "single",
                "您倾向的缴费周期",
                options=("按月", "按季度", "按半年", "按年"),
            ),
            QuestionInput("yesno", "您是否愿意参加楼院议事会"),
            QuestionInput("number", "您家常住人口（人）", required=False),
            QuestionInput("text", "对收费标准的其他意见", required=False),
        ),
    ),
    "楼院问题征集": SurveyInput(
        title="楼院问题征集",
        intro="为开展楼院问题“大起底”，请告诉我们您身边最突出的问题，我们将逐项建立台账、限期办结。",
        questions=(
            QuestionInput(
                "multiple",
                "您认为院内存在的问题（可多选）",
                options=(
                    "飞线充电",
                    "杂物堆积",
                    "非机动车乱停乱放",
                    "路灯不亮",
                    "下水道堵塞",
                    "楼道破损",
                    "私搭乱建",
                ),
            ),
            QuestionInput(
                "single",
                "其中最急需解决的是",
                options=(
                    "飞线充电",
                    "杂物堆积",
                    "非机动车乱停乱放",
                    "路灯不亮",
                    "下水道堵塞",
                    "楼道破损",
                    "私搭乱建",
                ),
            ),
            QuestionInput("yesno", "您是否愿意担任楼院志愿者"),
            QuestionInput("text", "问题的具体位置和情况", required=False),
        ),
    ),
}


def template_names() -> list[str]:
    return list(TEMPLATES)
