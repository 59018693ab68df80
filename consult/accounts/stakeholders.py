"""Stakeholder groups: the configured codes and their translated names."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from consult.config import Config

# Labels for the groups PRODUCT.md names; a deployment may configure others, which
# are then shown by their code until a label is added here.
GROUP_LABELS = {
    "parliament": _l("Parliament"),
    "government": _l("Government"),
    "intergovernmental": _l("Intergovernmental organisation"),
    "civil_society": _l("Civil society"),
    "private_sector": _l("Private sector"),
    "technical_community": _l("Technical community"),
    "academia": _l("Academia"),
    "media": _l("Media"),
    "individual": _l("Individual"),
}


def group_label(code: str) -> str:
    label = GROUP_LABELS.get(code)
    return str(label) if label is not None else code.replace("_", " ").capitalize()


def group_choices() -> list[tuple[str, str]]:
    config: Config = current_app.extensions["consult_config"]
    return [(code, group_label(code)) for code in config.stakeholder_groups]
