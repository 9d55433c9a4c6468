"""Rows of the park sheets for the tests: two parks of 南湖 (one chemical) and one of 海宁, with the
enterprises of the ``people`` fixture (南湖: USCC_NANHU, 海宁: USCC_HAINING)."""

import datetime as dt

from tests.factories import USCC_HAINING, USCC_NANHU

# 园区代码, 园区名称, 所属区域, 级别, 类型, 面积(亩)
PARK_NH = ["NH-P1", "南湖经济开发区", "南湖区", "省级", "经济开发区", 12000]
PARK_NH_CHEM = ["NH-P2", "南湖化工园区", "330402", "市级", "化工园区", 3500.5]
PARK_HN = ["HN-P1", "海宁高新区", "海宁市", "国家级", "高新区", None]
# 园区代码, 统一社会信用代码
MEMBER_NH = ["NH-P2", USCC_NANHU]
MEMBER_HN = ["HN-P1", USCC_HAINING]
# 园区代码, 建设内容, 状态, 投资(万元), 开始日期, 建成日期
BRAIN_NH = ["NH-P1", "园区智慧大脑", "建成", 800, dt.date(2024, 1, 10), dt.date(2024, 3, 15)]
VIDEO_NH = ["NH-P1", "视频监控", "在建", 120.5, dt.date(2024, 2, 1), None]
BRAIN_HN = ["HN-P1", "园区智慧大脑", "建成", 1500, None, dt.date(2024, 6, 30)]
# 园区代码, 类别, 状态, 年度
LOW_NH = ["NH-P1", "低碳园区", "已认定", 2023]
ZERO_HN = ["HN-P1", "零碳园区", "已认定", 2024]
CLEAN_HN = ["HN-P1", "清新园区", "创建中", 2024]
# 统一社会信用代码, 评级, 年度
RATING_NH = [USCC_NANHU, "A级", 2023]
RATING_HN = [USCC_HAINING, "引领性", 2024]

ALL = {
    "园区": [PARK_NH, PARK_NH_CHEM, PARK_HN],
    "园区企业": [MEMBER_NH, MEMBER_HN],
    "智慧园区建设": [BRAIN_NH, VIDEO_NH, BRAIN_HN],
    "绿色园区": [LOW_NH, ZERO_HN, CLEAN_HN],
    "企业环保绩效评级": [RATING_NH, RATING_HN],
}
