"""Reading a question's translatable texts: which exist, and in which languages they are written."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from consult.questionnaires.models import Question, QuestionKind, QuestionOption

QuestionTextKind = Literal["question", "help", "scale_min_label", "scale_max_label", "option"]


@dataclass(frozen=True)
class QuestionText:
    """One text of a question (its wording, help, a scale label or an option's label),
    written in the languages `values` holds."""

    kind: QuestionTextKind
    option: QuestionOption | None
    values: Mapping[str, str]

    def written_in(self, locale: str) -> bool:
        return bool(self.values.get(locale, "").strip())


def question_texts(question: Question) -> list[QuestionText]:
    """The texts a translation of `question` needs.

    Its wording and each option's label always; its help and scale labels only
    where the default language has them: a translation cannot miss what the
    original lacks.
    """
    default = question.consultation.default_locale
    translations = question.translations
    texts = [QuestionText("question", None, {c: t.text for c, t in translations.items()})]
    optional: list[tuple[QuestionTextKind, dict[str, str]]] = [
        ("help", {c: t.help or "" for c, t in translations.items()})
    ]
    if question.kind is QuestionKind.SCALE:
        optional += [
            ("scale_min_label", {c: t.scale_min_label or "" for c, t in translations.items()}),
            ("scale_max_label", {c: t.scale_max_label or "" for c, t in translations.items()}),
        ]
    for kind, values in optional:
        if values.get(default, "").strip():
            texts.append(QuestionText(kind, None, values))
    if question.kind.has_options:
        for option in question.options:
            labels = {code: t.label for code, t in option.translations.items()}
            texts.append(QuestionText("option", option, labels))
    return texts


def missing_locales(question: Question, locales: Iterable[str]) -> list[str]:
    """Those of `locales` in which at least one of the question's texts is not written."""
    texts = question_texts(question)
    return [code for code in locales if not all(text.written_in(code) for text in texts)]
