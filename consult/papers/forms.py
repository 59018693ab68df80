"""Forms of the paper editor: importing a document, writing and ordering sections."""

from __future__ import annotations

import codecs
from collections.abc import Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import Field, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from consult.core.text import normalise_plain_text
from consult.i18n.locale import isolate_ltr, language_name, text_direction
from consult.papers.models import Section
from consult.papers.operations import KEY_PATTERN, MAX_HEADING_LENGTH, MAX_KEY_LENGTH

# Papers are a few dozen pages of text; 2 MB of it is far more than any of them.
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
MAX_DOCUMENT_MB = 2
DOCUMENT_EXTENSIONS = (".txt", ".md", ".markdown")


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


def section_label_text(section: Section) -> str:
    """A section's label for flashed messages and choices, in the words of the
    `section_key_label` macro that pages use (`templates/_macros/content.html`)."""
    if section.is_preamble:
        return str(_("Preamble"))
    return str(_("Paragraph %(key)s", key=isolate_ltr(section.key)))


def decode_document(raw: bytes) -> str:
    """An uploaded file's text, or a `ValidationError` that says what the file is instead."""
    not_utf8 = _(
        "This file is not in the UTF-8 encoding. Save it as UTF-8 text (in most "
        "editors: Save as, then Encoding: UTF-8) and upload it again."
    )
    if not raw:
        raise ValidationError(_("The file is empty."))
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ValidationError(not_utf8)
    # Text never holds a NUL byte; PDF, Word and image files do.
    if b"\x00" in raw:
        raise ValidationError(
            _(
                "This is not a text file (it may be a PDF or a Word document). Save it "
                "as plain text (.txt) or Markdown (.md), or copy its text and paste it below."
            )
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(not_utf8) from None
    if not text.strip():
        raise ValidationError(_("The file holds no text."))
    return text


class PaperImportForm(FlaskForm):
    """A document to import in one language, uploaded or pasted.

    Any POST without `confirm` asks for a preview. The confirmation form sends
    the same fields back (the text as a hidden field) with `confirm`.
    """

    locale = SelectField(_l("Language of the document"), validators=[DataRequired()])
    upload = FileField(_l("A file (.txt or .md, UTF-8)"))
    text = TextAreaField(_l("Or the document's text, pasted"))
    confirm = SubmitField(_l("Import"))

    def __init__(self, enabled_locales: Sequence[str], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.locale.choices = [(code, language_name(code)) for code in enabled_locales]

    def validate_upload(self, field: Field) -> None:
        storage = field.data
        if storage is None:
            return
        if not (storage.filename or "").lower().endswith(DOCUMENT_EXTENSIONS):
            raise ValidationError(
                _(
                    "Upload a .txt or .md file. Save a PDF or Word document as plain "
                    "text first, or copy its text and paste it below."
                )
            )
        raw = storage.stream.read(MAX_DOCUMENT_BYTES + 1)
        if len(raw) > MAX_DOCUMENT_BYTES:
            raise ValidationError(_("The file is larger than %(size)d MB.", size=MAX_DOCUMENT_MB))
        # The file's text replaces any pasted text and is shown back for editing.
        self.text.data = decode_document(raw)

    def validate_text(self, field: Field) -> None:
        if self.upload.errors:
            return  # the file's error says what to do
        text = field.data or ""
        if not text.strip():
            raise ValidationError(_("Upload a file or paste the document's text."))
        # Browsers send line breaks as CRLF: count them as the document has them.
        if len(text.replace("\r\n", "\n").encode("utf-8")) > MAX_DOCUMENT_BYTES:
            raise ValidationError(_("The text is larger than %(size)d MB.", size=MAX_DOCUMENT_MB))


class SectionTextForm(FlaskForm):
    """A section's heading and Markdown body in one language.

    Where `text_required` (the default language), a heading or a body is needed:
    a heading alone is a part of the paper that groups the sections after it.
    Any POST without `save` asks for a preview, which saves nothing.
    """

    heading = StringField(
        _l("Heading (optional)"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=MAX_HEADING_LENGTH, message=_l("At most %(max)d characters, please.")),
        ],
    )
    body = TextAreaField(_l("Text (Markdown)"))
    save = SubmitField(_l("Save"))

    def __init__(
        self, *args: object, text_required: bool, content_locale: str, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.text_required = text_required
        # The text is in the content's language, whatever the page's: screen readers
        # and spell checkers follow `lang`, and Arabic text runs right to left.
        in_language = {"lang": content_locale, "dir": text_direction(content_locale)}
        self.heading.render_kw = in_language
        self.body.render_kw = in_language

    def validate_body(self, field: Field) -> None:
        # As the operation will store them: control characters alone are no text.
        written = (
            normalise_plain_text(value or "").strip() for value in (self.heading.data, field.data)
        )
        if self.text_required and not any(written):
            raise ValidationError(
                _("Write a heading or a text: the consultation's default language needs one.")
            )


class SectionAddForm(SectionTextForm):
    """A new section: its key, its place in the paper, and its default-language text."""

    key = StringField(
        _l("Number"),
        filters=[_strip, _lower],
        validators=[
            DataRequired(_l("Give the section a number, such as 4, 4.a or preamble.")),
            Length(
                max=MAX_KEY_LENGTH,
                message=_l("A number has at most %(max)d characters."),
            ),
            Regexp(
                KEY_PATTERN,
                message=_l(
                    "Use lower-case letters and digits separated by single dots, "
                    "such as 4, 4.a, 3.g or ii."
                ),
            ),
        ],
    )
    place = SelectField(_l("Place in the paper"))

    def __init__(
        self, in_paper: Sequence[Section], *args: object, content_locale: str, **kwargs: object
    ) -> None:
        super().__init__(*args, text_required=True, content_locale=content_locale, **kwargs)
        # An empty value (not a key: keys are never empty) stands for the start.
        self.place.choices = [("", _("At the start"))] + [
            (section.key, _("After %(section)s", section=section_label_text(section)))
            for section in in_paper
        ]


class SectionMoveForm(FlaskForm):
    """One step up or down in the paper's order."""

    direction = SelectField(validators=[DataRequired()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.direction.choices = [("up", _("Move up")), ("down", _("Move down"))]


class SectionActionForm(FlaskForm):
    """Archiving or restoring a section is a POST with a form token, like every change."""
