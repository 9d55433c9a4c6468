"""What an import found: per-sheet counts (new / changed / unchanged) and every issue."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .reader import Issue

MAX_ISSUES = 20_000  # beyond this the report keeps counting but stops listing


@dataclass
class SheetReport:
    name: str
    kind: str
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    invalid: int = 0
    skipped: int = 0  # the template's example row


@dataclass
class ImportReport:
    filename: str
    dry_run: bool
    committed: bool = False
    fatal: str | None = None  # the file could not be read at all
    sheets: list[SheetReport] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0

    def add(self, issue: Issue) -> None:
        if issue.level == "error":
            self.error_count += 1
        else:
            self.warning_count += 1
        if len(self.issues) < MAX_ISSUES:
            self.issues.append(issue)

    @property
    def ok(self) -> bool:
        return self.fatal is None and self.error_count == 0

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "warning"]

    @property
    def truncated(self) -> int:
        return self.error_count + self.warning_count - len(self.issues)

    @property
    def total_rows(self) -> int:
        return sum(s.rows for s in self.sheets)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ImportReport:
        data = dict(data)
        data["sheets"] = [SheetReport(**s) for s in data.get("sheets", [])]
        data["issues"] = [Issue(**i) for i in data.get("issues", [])]
        return cls(**data)

    def summary(self) -> str:
        parts = [f"{s.name}：新增 {s.new}，变更 {s.changed}，未变 {s.unchanged}" for s in self.sheets]
        return "；".join(parts) or "没有数据行"
