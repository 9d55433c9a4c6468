"""What every app uses and no app owns: service errors (``errors``), the xlsx writer (``xlsx``),
upload checks (``uploads``), months (``months``) and the units of every number shown to a person
(``units``: 万元/亿元, %, 吨标准煤, 四舍五入). Nothing here imports an app."""
