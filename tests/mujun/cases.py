"""A hand-computed area of 20 evaluated enterprises (南湖, 2024) for the 亩均 evaluation (P14).

Every enterprise has 100 亩, 工业增加值 1,000万元, 综合能耗 1,000 吨标准煤 (Z: 0), 排放 10 吨, 100 人,
研发 30万元 of 营业收入 1,000万元; only 税收 differs (Σ = 2,000万元). So, with the shipped example
scheme (weights 30/20/20/10/10/10, cap 1.5):

- 亩均税收: benchmark 2,000万 ÷ 2,000亩 = 1万元/亩; points = 30 × min(tax ÷ 100万, 1.5);
- 亩均增加值, 单位排放增加值, 全员劳动生产率, 研发经费投入强度: each equals its benchmark → 20, 10, 10, 10;
- 单位能耗增加值: benchmark 20,000万 ÷ 19,000 tce; the 19 with energy get 20 × 19/20 = 19 and Z (energy 0,
  value added > 0) the cap 20 × 1.5 = 30.
So the others score tax points + 69, Z tax points + 80. BO earns the bonus with 3 qualifying projects
(3 × 2 = 6, capped at 5); LATE's project was completed in 2023 (no bonus); a project below 500万元 and
one not yet 竣工 on 31 December earn nothing. X (用地面积 0, 税收 1,000万元) is not evaluated and does not
enter the benchmarks.

Ranks (total, then 亩均税收, then credit code): P, Q, R01 tie at 114 and are ordered by their tax
(200 > 180 > 150) although their codes run the other way; T1 and T2 tie on everything and go by code.
n = 20: A = ⌊0.2·20⌋ = 4, B = ⌊0.5·20⌋ = 10, D = ⌊0.05·20⌋ = 1, C = 5.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from stdnum.cn import uscc as stdnum_uscc

YEAR = 2024
WAN = Decimal(10_000)


def uscc(n: int, area: str = "330402") -> str:
    body = f"91{area}MA2{n:06d}"
    return body + stdnum_uscc.calc_check_digit(body)


# name → (code number, 税收 in 万元); code numbers make P's code the largest of the three tied
TAX = {
    "Q": (1, 180),
    "R01": (2, 150),
    "P": (3, 200),
    "R02": (4, 140),
    "R03": (5, 130),
    "R04": (6, 120),
    "R05": (7, 110),
    "R06": (8, 105),
    "Z": (9, 100),
    "R07": (10, 95),
    "BO": (11, 90),
    "LATE": (12, 90),
    "R08": (13, 85),
    "R09": (14, 80),
    "R10": (15, 75),
    "T1": (16, 60),
    "T2": (17, 60),
    "R11": (18, 50),
    "R12": (19, 45),
    "R13": (20, 35),
}
NOT_EVALUATED = {"X": (21, 1000)}  # 用地面积 0


def figures(name: str, tax_wan: int) -> dict:
    return {
        "land": Decimal(0) if name in NOT_EVALUATED else Decimal(100),
        "tax": tax_wan * WAN,
        "value_added": 1000 * WAN,
        "revenue": 1000 * WAN,
        "energy": Decimal(0) if name == "Z" else Decimal(1000),
        "emissions": Decimal(10),
        "rd": 30 * WAN,
        "employees": 100,
    }


# (code, status on 31 December, 竣工日期, 设备投资 in yuan) by enterprise
PROJECTS = {
    "BO": [
        ("BO-1", "竣工", dt.date(2024, 3, 31), 5_000_000),  # exactly the threshold: counts
        ("BO-2", "验收通过", dt.date(2024, 6, 30), 8_000_000),
        ("BO-3", "已兑现", dt.date(2024, 12, 31), 6_000_000),
        ("BO-4", "竣工", dt.date(2024, 9, 30), 4_999_999.99),  # below 500万元
        ("BO-5", "在建", dt.date(2024, 11, 30), 9_000_000),  # not completed on 31 December
    ],
    "LATE": [("LATE-1", "验收通过", dt.date(2023, 12, 31), 9_000_000)],  # completed in Y−1
}

# name → (rank, class, 亩均税收 points, score, bonus, total), by hand
EXPECTED = {
    "P": (1, "A", 45, 114, 0, 114),
    "Q": (2, "A", 45, 114, 0, 114),
    "R01": (3, "A", 45, 114, 0, 114),
    "R02": (4, "A", 42, 111, 0, 111),
    "Z": (5, "B", 30, 110, 0, 110),
    "R03": (6, "B", 39, 108, 0, 108),
    "R04": (7, "B", 36, 105, 0, 105),
    "R05": (8, "B", 33, 102, 0, 102),
    "BO": (9, "B", 27, 96, 5, 101),
    "R06": (10, "B", 31.5, 100.5, 0, 100.5),
    "R07": (11, "B", 28.5, 97.5, 0, 97.5),
    "LATE": (12, "B", 27, 96, 0, 96),
    "R08": (13, "B", 25.5, 94.5, 0, 94.5),
    "R09": (14, "B", 24, 93, 0, 93),
    "R10": (15, "C", 22.5, 91.5, 0, 91.5),
    "T1": (16, "C", 18, 87, 0, 87),
    "T2": (17, "C", 18, 87, 0, 87),
    "R11": (18, "C", 15, 84, 0, 84),
    "R12": (19, "C", 13.5, 82.5, 0, 82.5),
    "R13": (20, "D", 10.5, 79.5, 0, 79.5),
}
