"""Understanding a timing sheet: its header row, its columns, every row's bib, times and status, and
the errors (refuse the file) and warnings (import, list) of docs/rules.md, "Timing sheets". Pure: no I/O.

Two steps: find the header row and what each column holds (`find_header`), then read each row below it
(`sheet_rows.RowReader`). Row numbers are the spreadsheet's own (1-based, title and blank rows counted)
and columns are named by the sheet's own header text, so a volunteer can find the cell."""

from collections.abc import Callable, Mapping

from sportsrun.core.errors import RowError
from sportsrun.core.i18n import gettext as _
from sportsrun.timing import columns as cols
from sportsrun.timing.sheet_rows import Layout, RowReader
from sportsrun.timing.sheet_types import RaceFacts, SheetRow, Understood, cell_text

__all__ = ["RaceFacts", "SheetRow", "Understood", "find_header", "understand"]

HEADER_SEARCH_ROWS = 30


def find_header(rows: list[list[object]], mapping: Mapping[str, str] | None) -> tuple[int, dict[str, int]] | None:
    """The header row below any title or blank rows, and its columns (the mapping's, where given)."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if mapping:
            texts = {cols.header_key(c): i for i, c in enumerate(row) if c not in (None, "")}
            wanted = {f: cols.header_key(h) for f, h in mapping.items()}
            if wanted and all(key in texts for key in wanted.values()):
                detected = cols.recognise(row)
                overridden = {f: texts[key] for f, key in wanted.items()}
                # The mapping decides for the columns it names; detection fills in the rest.
                taken = set(overridden.values())
                detected = {f: i for f, i in detected.items() if i not in taken and f not in overridden}
                return index, {**detected, **overridden}
            continue
        detected = cols.recognise(row)
        if cols.is_header(detected):
            return index, detected
    return None


def _no_header(mapping: Mapping[str, str] | None) -> RowError:
    if mapping:
        message = _("The columns of the mapping were not found together in one header row: {columns}.",
                    columns=", ".join(mapping.values()))  # fmt: skip
    else:
        message = _(
            "No bib column or no time or status column was found: name them in the header row (e.g. Bib "
            "and Time, or رقم الصدرية and الوقت), or choose them in the column mapping."
        )
    return RowError(None, None, message)


def understand(
    rows: list[list[object]],
    race: RaceFacts,
    registered: Mapping[int, object],
    *,
    mapping: Mapping[str, str] | None = None,
    elsewhere: Callable[[int], str | None] = lambda bib: None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Understood:
    """Everything the preview shows and the commit writes. `registered` holds this race's bibs;
    `elsewhere(bib)` names the race a bib belongs to instead, if any; `progress("check", done, total)`
    hears how far it has come."""
    out = Understood()
    found = find_header(rows, mapping)
    if found is None:
        out.errors.append(_no_header(mapping))
        return out
    header_index, columns = found
    header = [cell_text(c) for c in rows[header_index]]
    out.header_row, out.header = header_index + 1, header
    out.columns = {f: header[i] for f, i in columns.items()}
    if "bib" not in columns or not any(f in columns for f in ("gun_time", "chip_time", "clock_time", "status")):
        out.errors.append(RowError(None, None, _("No bib column or no time or status column was found.")))
        return out
    read = RowReader(Layout.of(header, columns), race, registered, elsewhere, out).read
    for index in range(header_index + 1, len(rows)):
        if progress and index % 2000 == 0:
            progress("check", index, len(rows))
        read(rows[index], index + 1)
    return out
