"""Reading an uploaded file in a child process with bounded memory (issue 20, decision 0023).

Everything that decompresses or parses an upload runs here, in a fresh interpreter started by
``Reading`` with an address-space limit (``RLIMIT_AS``) and a CPU-time limit: a zip bomb, a sheet
of 16,384 columns or an abused ``<dimension>`` ends that process with a Chinese message, never the
web process or the worker. Before python-calamine sees a byte the file is inspected and refused
if any bound is exceeded:

- a zip (.xlsx/.xlsm/.ods): the number of members, the sum of their declared sizes, every
  member decompressed in chunks (its actual size, its CRC: a member larger than it says is
  refused), no ``<!DOCTYPE``/``<!ENTITY`` (billion laughs), the number of shared strings;
- each recognised worksheet of an .xlsx, streamed: the ``<dimension>`` it claims and the extent
  of its cells (rows × columns and columns against the kind's header count), its cell count,
  and the cells holding a formula without a cached value;
- a .csv: decoded in chunks (UTF-8 or GB 18030), its records and widest record counted;
- an .xls/.ods sheet has no such index: it is bounded right after calamine parsed it, before a
  row is turned into Python values (the address-space limit is the backstop).

The protocol is pickled frames on the child's stdin/stdout; this module imports nothing but the
standard library and python-calamine in the child (no Django), and the parent formats every
message (``reader``). Rows stream in batches; the pipe's back-pressure keeps them few.
"""

from __future__ import annotations

import codecs
import csv
import os
import pickle
import re
import signal
import subprocess
import sys
import tempfile
import threading
import weakref
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

BATCH = 2000  # rows per frame
CHUNK = 1 << 20  # bytes decompressed at a time
MAX_MEMBERS = 2000  # zip members (a workbook has tens; more is a crafted file)
CARRY = 1 << 20  # bytes of a sheet's XML kept across chunks (a partial cell)
FORMULA_REFS = 100_000  # cells listed for formulas without a value (the report lists fewer)


class Refused(Exception):
    """A bound exceeded, or a file that cannot be read: ``code`` and its figures (parent words it)."""

    def __init__(self, code: str, **figures):
        super().__init__(code)
        self.code, self.figures = code, figures


# -- the child ---------------------------------------------------------------------------------


def _col_index(letters: bytes | str) -> int:
    value = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        value = value * 26 + ord(ch) - 64
    return value


CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})\d')
CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}(\d{1,7})"')
ROW = re.compile(rb'<row r="(\d{1,7})"')
DIMENSION = re.compile(rb'<dimension ref="([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?"')
FORMULA_CELL = re.compile(rb'<c r="([A-Z]+\d+)"[^>]*?(?:/>|>(.*?)</c>)', re.S)
VALUE = re.compile(rb"<v>[^<]+</v>|<is>")


def _sheet_members(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML member in an .xlsx (workbook.xml and its relationships)."""
    workbook = _read_small(z, "xl/workbook.xml").decode("utf-8", "replace")
    rels = _read_small(z, "xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    targets = dict(re.findall(r'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    targets |= {k: v for v, k in re.findall(r'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)}
    members = {}
    for tag in re.findall(r"<sheet\b[^>]*/>", workbook):
        name = re.search(r'name="([^"]*)"', tag)
        rid = re.search(r'r:id="([^"]*)"', tag)
        if not name or not rid or rid[1] not in targets:
            continue
        target = targets[rid[1]].lstrip("/")
        members[_unescape(name[1])] = target if target.startswith("xl/") else f"xl/{target}"
    return members


def _read_small(z: zipfile.ZipFile, member: str, limit: int = 16 << 20) -> bytes:
    with z.open(member) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise Refused("member_too_big", member=member, limit=limit)
    return data


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def _letters(index: int) -> str:
    """1-based column number → its letters (28 → AB)."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _beyond(bound: int) -> bytes:
    """A regex alternation of the column letters past column ``bound`` (AM → AN…AZ, BA…ZZ, AAA…)."""
    last = _letters(bound)
    parts = [f"[A-Z]{{{len(last) + 1},3}}"] if len(last) < 3 else []
    for i, ch in enumerate(last):
        if ch != "Z":
            parts.append(f"{last[:i]}[{chr(ord(ch) + 1)}-Z][A-Z]{{{len(last) - i - 1}}}")
    return "|".join(parts).encode()


class _SheetScan:
    """What one worksheet's XML holds, gathered chunk by chunk (constant memory).

    Exact where it is cheap (the ``<dimension>`` claimed, the last ``<row r>``, the cell count,
    the first chunk's cells); elsewhere one regex search per chunk for a cell past the kind's
    column bound or with a row number longer than the rows seen, and only such a chunk is read
    cell by cell. (What escapes this, a cell whose row number lies within its digits, is bounded
    once parsed, before a row is read, and by the address-space limit.)"""

    def __init__(self, bound: int):
        self.bound = bound
        self.claim: tuple[int, int] | None = None  # (last row, last column) of <dimension>
        self.claim_ref = ""
        self.rows = 0  # last row of any cell
        self.cols = 0  # last column of any cell (1-based)
        self.cells = 0
        self.formulas: list[str] = []
        self.carry = b""
        self.seen_dimension = False
        self.first = True
        self.suspects: dict[int, re.Pattern] = {}
        self.past = _beyond(bound)

    def _suspect(self, digits: int) -> re.Pattern:
        if digits not in self.suspects:
            self.suspects[digits] = re.compile(
                rb'<c r="(?:(?:' + self.past + rb")\d|[A-Z]{1,3}\d{" + str(digits + 1).encode() + rb"})"
            )
        return self.suspects[digits]

    def feed(self, chunk: bytes, final: bool = False) -> None:
        data = self.carry + chunk
        if not self.seen_dimension:
            match = DIMENSION.search(data)
            if match or len(data) > 65536 or b"<sheetData" in data:
                self.seen_dimension = True
            if match:
                last_col, last_row = (match[3], match[4]) if match[3] else (match[1], match[2])
                self.claim = (int(last_row), _col_index(last_col))
                self.claim_ref = match[0][len(b'<dimension ref="') : -1].decode()
        # the complete cells: up to the last "<c" (a cell, or "<col"…: cells hold no "<c"), the
        # rest waits for the next chunk
        cut = len(data) if final else data.rfind(b"<c")
        if cut <= 0:
            self.carry = data[-CARRY:] if len(data) > CARRY else data
            return
        piece, self.carry = data[:cut], data[cut:]
        self.cells += piece.count(b"<c ") + piece.count(b"<c>")
        rows = ROW.findall(piece)
        if rows:
            self.rows = max(self.rows, max(map(int, rows)))
        if self.first or self._suspect(len(str(self.rows))).search(piece):
            self.first = False
            cols = set(CELL_COLUMN.findall(piece))
            if cols:
                self.cols = max(self.cols, max(_col_index(c) for c in cols))
                self.rows = max(self.rows, max(map(int, CELL_ROW.findall(piece))))
        if b"<f" in piece and len(self.formulas) < FORMULA_REFS:
            for m in FORMULA_CELL.finditer(piece):
                if m[2] and b"<f" in m[2] and not VALUE.search(m[2]):
                    self.formulas.append(m[1].decode())


def _inspect_zip(path: Path, limits: dict, sheets: dict[str, int] | None, members_of: dict[str, str]) -> dict:
    """Decompress every member in chunks under the bounds; scan the recognised worksheets
    (``sheets``: name → the kind's column bound). Returns name → (height, formulas)."""
    max_bytes = limits["unpacked_bytes"]
    scans: dict[str, _SheetScan] = {}
    by_member = {members_of[name]: name for name in (sheets or {}) if name in members_of}
    total = 0
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            if info.is_dir():
                continue
            scan = None
            if info.filename in by_member:
                scan = scans[by_member[info.filename]] = _SheetScan(sheets[by_member[info.filename]])
            strings = info.filename == "xl/sharedStrings.xml"
            xml = info.filename.endswith((".xml", ".rels")) or info.filename == "[Content_Types].xml"
            count = 0
            checked = False
            try:
                with z.open(info) as f:
                    while chunk := f.read(CHUNK):
                        total += len(chunk)
                        if total > max_bytes:
                            raise Refused("unpacked_actual", limit=max_bytes)
                        if xml and not checked:  # a DOCTYPE may only stand in the prolog
                            if b"<!DOCTYPE" in chunk or b"<!ENTITY" in chunk:
                                raise Refused("doctype", member=info.filename)
                            checked = True
                        if strings:
                            count += chunk.count(b"<si>") + chunk.count(b"<si ")
                            if count > limits["cells"]:
                                raise Refused("strings", count=count, limit=limits["cells"])
                        if scan is not None:
                            scan.feed(chunk)
                    if scan is not None:
                        scan.feed(b"", final=True)
            except (zipfile.BadZipFile, EOFError, zlib.error) as exc:  # a CRC or size mismatch: it lied
                raise Refused("member_mismatch", member=info.filename, declared=info.file_size) from exc
    found = {}
    for name, bound in (sheets or {}).items():
        scan = scans.get(name)
        if scan is None:
            continue
        claim_rows, claim_cols = scan.claim or (0, 0)
        rows, cols = max(scan.rows, claim_rows), max(scan.cols, claim_cols)
        if cols > bound:
            raise Refused("columns", sheet=name, cols=cols, limit=bound)
        if rows * cols > limits["cells"] or scan.cells > limits["cells"]:
            raise Refused(
                "cells",
                sheet=name,
                rows=rows,
                cols=cols,
                ref=scan.claim_ref if (claim_rows, claim_cols) == (rows, cols) else "",
                cells=max(rows * cols, scan.cells),
                limit=limits["cells"],
            )
        found[name] = (claim_rows or scan.rows, scan.formulas)
    return found


def _zip_preflight(path: Path, limits: dict) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise Refused("corrupt", kind="ZipError") from exc
    if len(infos) > MAX_MEMBERS:
        raise Refused("members", count=len(infos), limit=MAX_MEMBERS)
    declared = sum(i.file_size for i in infos)
    if declared > limits["unpacked_bytes"]:
        raise Refused("unpacked_declared", size=declared, limit=limits["unpacked_bytes"])


class _Child:
    def __init__(self, out, inp):
        self.out, self.inp = out, inp

    def send(self, *frame) -> None:
        pickle.dump(frame, self.out, protocol=pickle.HIGHEST_PROTOCOL)
        self.out.flush()

    def receive(self):
        return pickle.load(self.inp)

    def run(self) -> None:
        request = self.receive()
        path, suffix, limits = Path(request["path"]), request["suffix"], request["limits"]
        try:
            if suffix == ".csv":
                self.csv(path, limits)
            else:
                self.excel(path, suffix, limits)
        except Refused as exc:
            self.send("refuse", exc.code, exc.figures)
        except MemoryError:
            self.send("refuse", "memory", {})

    # .xlsx .xlsm .xls .ods
    def excel(self, path: Path, suffix: str, limits: dict) -> None:
        import python_calamine as pc

        xlsx = suffix in {".xlsx", ".xlsm"}
        zipped = xlsx or suffix == ".ods"
        members: dict[str, str] = {}
        names: list[str] | None = None
        if zipped and zipfile.is_zipfile(path):
            _zip_preflight(path, limits)
            if xlsx:
                try:
                    with zipfile.ZipFile(path) as z:
                        members = _sheet_members(z)
                    names = list(members)
                except KeyError:  # no workbook.xml: calamine says what is wrong below
                    names = None
                except zipfile.BadZipFile as exc:
                    raise Refused("corrupt", kind="ZipError") from exc
        if names is not None and len(names) > limits["sheets"]:
            raise Refused("sheets", count=len(names), limit=limits["sheets"])
        if zipped and zipfile.is_zipfile(path):
            # every member decompressed under the bounds before the workbook is opened; the
            # worksheets are scanned once the parent has said which ones it reads
            if names is not None:
                self.send("names", names)
                chosen = dict(self.receive())
            else:
                chosen = {}
            found = _inspect_zip(path, limits, chosen, members)
        else:
            chosen = None
            found = {}
        try:
            workbook = pc.CalamineWorkbook.from_path(str(path))
        except pc.PasswordError as exc:
            raise Refused("password") from exc
        except Exception as exc:  # calamine raises several kinds for damaged files
            raise Refused("corrupt", kind=type(exc).__name__) from exc
        if chosen is None or names is None:
            names = list(workbook.sheet_names)
            if len(names) > limits["sheets"]:
                raise Refused("sheets", count=len(names), limit=limits["sheets"])
            self.send("names", names)
            chosen = dict(self.receive())
        order = list(chosen)
        parsed: dict[str, Any] = {}
        if not xlsx:
            # no index to size the sheets by: parse each now and bound it before any row is read
            for name in order:
                sheet = self._parse(workbook, name)
                self._bound(name, sheet, chosen[name], limits)
                parsed[name] = sheet
                found[name] = (sheet.height if sheet.start is not None else 0, [])
        self.send(
            "sized",
            {name: found.get(name, (0, []))[0] for name in order},
            {name: found[name][1] for name in order if name in found and found[name][1]},
        )
        if xlsx:
            self._stream_parsed_ahead(workbook, order, chosen, limits)
        else:
            for name in order:
                self._stream(name, parsed.pop(name))
        self.send("done")

    def _parse(self, workbook, name: str):
        try:
            return workbook.get_sheet_by_name(name)
        except MemoryError:
            raise
        except Exception as exc:
            raise Refused("sheet_broken", sheet=name, kind=type(exc).__name__) from exc

    def _bound(self, name: str, sheet, cols_bound: int, limits: dict) -> None:
        if sheet.start is None:
            return
        rows, cols = sheet.start[0] + sheet.height, sheet.start[1] + sheet.width
        if cols > cols_bound:
            raise Refused("columns", sheet=name, cols=cols, limit=cols_bound)
        if sheet.height * sheet.width > limits["cells"]:
            raise Refused("cells", sheet=name, rows=rows, cols=cols, ref="", cells=sheet.height * sheet.width,
                          limit=limits["cells"])  # fmt: skip

    def _stream_parsed_ahead(self, workbook, order: list[str], chosen: dict, limits: dict) -> None:
        """Parse the next sheet while this one streams (calamine releases the GIL), one ahead."""
        results: dict[str, Any] = {}
        ready = {name: threading.Event() for name in order}
        slots = threading.Semaphore(2)

        def parse_all() -> None:
            for name in order:
                slots.acquire()
                try:
                    results[name] = self._parse(workbook, name)
                except BaseException as exc:  # handed over to the streaming thread
                    results[name] = exc
                ready[name].set()

        threading.Thread(target=parse_all, name="import-parse", daemon=True).start()
        for name in order:
            ready[name].wait()
            sheet = results.pop(name)
            if isinstance(sheet, BaseException):
                raise sheet
            self._bound(name, sheet, chosen[name], limits)
            self._stream(name, sheet)
            del sheet
            slots.release()

    def _stream(self, name: str, sheet) -> None:
        if sheet.start is None:
            self.send("sheet", name, None, 0, [])
            self.send("end")
            return
        self.send("sheet", name, sheet.start, sheet.height, list(sheet.merged_cell_ranges or []))
        batch: list = []
        for cells in sheet.iter_rows():
            batch.append(cells)
            if len(batch) == BATCH:
                self.send("rows", batch)
                batch = []
        if batch:
            self.send("rows", batch)
        self.send("end")

    # .csv
    def csv(self, path: Path, limits: dict) -> None:
        size = path.stat().st_size
        if size > limits["unpacked_bytes"]:
            raise Refused("unpacked_declared", size=size, limit=limits["unpacked_bytes"])
        encoding, lines = None, 0
        for candidate in ("utf-8-sig", "gb18030"):  # GB 18030 is a superset of GBK
            lines = _decodes(path, candidate)
            if lines is not None:
                encoding = candidate
                break
        if encoding is None:
            raise Refused("csv_encoding")
        header: list[str] | None = None
        records = width = 0
        with path.open(encoding=encoding, newline="") as f:
            try:
                for row in csv.reader(f):
                    records += 1
                    width = max(width, len(row))
                    if header is None and any(c.strip() for c in row):
                        header = row
            except csv.Error as exc:
                raise Refused("csv_broken", detail=str(exc)) from exc
        self.send("names", [path.stem])
        self.send("csv", header, lines + 1)
        chosen = dict(self.receive())
        if not chosen:
            return
        ((name, bound),) = chosen.items()
        if width > bound:
            raise Refused("columns", sheet=name, cols=width, limit=bound)
        if records * width > limits["cells"]:
            raise Refused("cells", sheet=name, rows=records, cols=width, ref="", cells=records * width,
                          limit=limits["cells"])  # fmt: skip
        self.send("sized", {name: lines + 1}, {})
        self.send("sheet", name, (0, 0), lines + 1, [])
        with path.open(encoding=encoding, newline="") as f:
            reader = csv.reader(f)
            for row in reader:  # up to the header (the parent reads the rest)
                if any(c.strip() for c in row):
                    break
            batch: list = []
            for row in reader:
                batch.append(row)
                if len(batch) == BATCH:
                    self.send("rows", batch)
                    batch = []
            if batch:
                self.send("rows", batch)
        self.send("end")
        self.send("done")


def _decodes(path: Path, encoding: str) -> int | None:
    """The number of line feeds if the whole file decodes in ``encoding``, else None."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 0
    with path.open("rb") as f:
        try:
            while chunk := f.read(CHUNK):
                text = decoder.decode(chunk)
                if "\x00" in text:
                    raise Refused("csv_binary")
                lines += text.count("\n")
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return None
    return lines


def child_main() -> None:
    import resource

    memory, seconds = int(sys.argv[1]), int(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print goes to the log, not into the frames
    inp = os.fdopen(os.dup(0), "rb")
    try:
        _Child(out, inp).run()
    except (BrokenPipeError, EOFError):  # the parent stopped reading
        pass
    out.flush()


# -- the parent --------------------------------------------------------------------------------


class ChildFailed(Exception):
    """The reading process ended without a frame saying why: ``reason`` is memory, time or other."""

    def __init__(self, reason: str, code: int | None):
        super().__init__(reason)
        self.reason, self.code = reason, code


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait()


class Reading:
    """One file read by one child process; frames are read in order (``frame``)."""

    def __init__(self, path: Path, suffix: str, limits: dict):
        self.log = tempfile.TemporaryFile()
        env = dict(os.environ, MALLOC_ARENA_MAX="2")  # each malloc arena reserves address space
        self.proc = subprocess.Popen(
            [sys.executable, "-P", __file__, str(limits["memory_bytes"]), str(limits["cpu_seconds"])],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            env=env,
        )
        self.limits = limits
        self._finalizer = weakref.finalize(self, _stop, self.proc)
        self.send({"path": str(path), "suffix": suffix, "limits": limits})

    def send(self, message) -> None:
        try:
            pickle.dump(message, self.proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass  # the child already ended: its last frame or its exit status says why

    def frame(self) -> tuple:
        try:
            frame = pickle.load(self.proc.stdout)
        except EOFError:
            frame = None
        if frame is None:  # ended without saying why: its exit status and its log tell
            self._finalizer()
            code = self.proc.returncode
            reason = _why(code, self.log)
            self.close()
            raise ChildFailed(reason, code)
        if frame[0] == "refuse":
            self.close()
            raise Refused(frame[1], **frame[2])
        if frame[0] == "done":
            self.close()
        return frame

    def rows(self) -> Iterator[list]:
        """The rows of the sheet whose ``sheet`` frame was just read, up to its ``end``."""
        while True:
            frame = self.frame()
            if frame[0] == "end":
                return
            yield from frame[1]

    def close(self) -> None:
        self._finalizer()
        self.log.close()


def _why(code: int | None, log) -> str:
    """time: the CPU limit (SIGXCPU); memory: a MemoryError, or an abort (Rust's allocator aborts
    when the address-space limit refuses it) or a kill (the kernel's OOM killer); other."""
    if code == -signal.SIGXCPU:
        return "time"
    log.seek(0)
    text = log.read()[-4000:].decode("utf-8", "replace")
    if code in (-signal.SIGABRT, -signal.SIGKILL) or "MemoryError" in text or "memory allocation" in text:
        return "memory"
    return "other"


if __name__ == "__main__":
    child_main()
