"""One entry point for every export, used by the staff pages, open data and the CLI."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date

from consult.exports.csv_writer import comments_csv, responses_csv
from consult.exports.json_writer import export_json
from consult.exports.spec import ExportContent, ExportFormat, ExportSpec

CHUNK_SIZE = 64 * 1024
# An XLSX or DOCX file is built before it is sent; beyond this it waits on disk.
SPOOL_IN_MEMORY = 8 * 1024 * 1024


def export_chunks(spec: ExportSpec) -> Iterator[bytes]:
    """The export's bytes, piece by piece.

    CSV and JSON are written while the rows are read. An XLSX workbook (written in
    openpyxl's write-only mode) and a DOCX digest are whole files: they are built
    into a temporary file first, then sent from it.
    """
    if spec.format is ExportFormat.CSV:
        if spec.content is ExportContent.RESPONSES:
            yield from responses_csv(spec)
        else:
            yield from comments_csv(spec)
        return
    if spec.format is ExportFormat.JSON:
        yield from export_json(spec)
        return
    # Imported here: openpyxl and python-docx take a third of a second to load,
    # which every start of the application and every CSV export would pay.
    from consult.exports.docx_digest import write_feedback_digest
    from consult.exports.xlsx_writer import write_workbook

    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as built:
        if spec.format is ExportFormat.XLSX:
            write_workbook(spec, built)
        else:
            write_feedback_digest(spec, built)
        built.seek(0)
        while chunk := built.read(CHUNK_SIZE):
            yield chunk


def export_filename(spec: ExportSpec, today: date) -> str:
    """ "ai-paper-comments-2026-11-22.csv": the consultation, what it holds, the day."""
    if spec.format is ExportFormat.CSV:
        what = spec.content.value
    elif spec.format is ExportFormat.DOCX:
        what = "feedback-digest"
    else:
        what = "feedback"
    return f"{spec.consultation.slug}-{what}-{today.isoformat()}.{spec.format.value}"
