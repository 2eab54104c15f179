"""Reading a page's form the way a browser would, and filling the gaps, for the mass-assignment
tests: the data a person would send by pressing the form's button."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from django.utils import timezone

DATE_NAME = re.compile(r"(_on|date|^start|^end)$")
# Today: never in the future, and on or after anything already recorded.
FILL_DATE = timezone.localdate()
FILL_TEXT = "Entered by the mass-assignment check."


@dataclass
class Form:
    """A POST form: where it goes and the fields a browser would send."""

    page: str
    action: str
    data: dict[str, list[str]] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    unset_choices: dict[str, str] = field(default_factory=dict)  # radios/checkboxes: first value
    files: list[str] = field(default_factory=list)
    options: dict[str, list[str]] = field(default_factory=dict)  # a select's non-empty values

    @property
    def names(self) -> set[str]:
        return set(self.data) | set(self.unset_choices) | set(self.files)

    def as_sent(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in self.data.items()}

    def filled(self) -> dict[str, list[str]]:
        """The data with every empty field given a plausible value and one choice of every
        unanswered radio or checkbox group, for forms that need more than what is shown."""
        data = self.as_sent()
        for name, values in data.items():
            if any(v.strip() for v in values):  # a textarea often holds a line break
                continue
            if name in self.options:
                data[name] = self.options[name][:1]
                continue
            kind = self.types.get(name, "text")
            data[name] = [_fill(name, kind)]
        for name, value in self.unset_choices.items():
            data.setdefault(name, [value])
        return data


def _fill(name: str, kind: str) -> str:
    base = re.sub(r"(_\d|-day|-month|-year)$", "", name)
    if re.search(r"(_0|-day)$", name):
        return str(FILL_DATE.day)
    if re.search(r"(_1|-month)$", name):
        return str(FILL_DATE.month)
    if re.search(r"(_2|-year)$", name):
        return str(FILL_DATE.year)
    if kind == "date" or DATE_NAME.search(base):
        return FILL_DATE.isoformat()
    if kind == "number" or re.search(
        r"(capacity|size|attendees|days|number|years|workforce)", name
    ):
        return "5"
    if kind == "email":
        return "check@example.invalid"
    if kind == "url" or name.endswith("url"):
        return "https://example.invalid/evidence"
    return FILL_TEXT


def parse_post_forms(page: str, form_html: str) -> Form | None:
    """The form, if it is a POST form; None for a GET form (search, filters)."""
    root = lxml.html.fragment_fromstring(form_html)
    if (root.get("method") or "get").lower() != "post":
        return None
    form = Form(page=page, action=root.get("action") or "")
    pressed = False
    for el in root.iter("input", "select", "textarea", "button"):
        name = el.get("name")
        if el.get("disabled") is not None:
            continue
        if el.tag == "button" or (el.tag == "input" and el.get("type") in ("submit", "image")):
            # The first submit button is the one pressed, named or not: an unnamed "Save"
            # before a named "Add more rows" sends no button field at all.
            if not pressed and (el.get("type") or "submit") == "submit":
                if name:
                    form.data.setdefault(name, []).append(el.get("value") or "")
                pressed = True
            continue
        if not name:
            continue
        if el.tag == "select":
            options = list(el.iter("option"))
            form.options[name] = [v for o in options if (v := o.get("value", o.text or ""))]
            chosen = [
                o.get("value", o.text or "") for o in options if o.get("selected") is not None
            ]
            if not chosen and el.get("multiple") is None and options:
                chosen = [options[0].get("value", options[0].text or "")]
            if chosen:
                form.data.setdefault(name, []).extend(chosen)
            elif options:
                form.unset_choices.setdefault(name, options[0].get("value", ""))
            continue
        if el.tag == "textarea":
            form.data.setdefault(name, []).append(el.text or "")
            continue
        kind = (el.get("type") or "text").lower()
        if kind in ("checkbox", "radio"):
            if el.get("checked") is not None:
                form.data.setdefault(name, []).append(el.get("value", "on"))
            else:
                form.unset_choices.setdefault(name, el.get("value", "on"))
            continue
        if kind == "file":
            form.files.append(name)
            continue
        form.data.setdefault(name, []).append(el.get("value") or "")
        form.types[name] = kind
    # A radio or checkbox group with one ticked is answered.
    for name in list(form.unset_choices):
        if name in form.data:
            del form.unset_choices[name]
    return form


def errors_shown(html: str) -> list[str]:
    """The messages of a GOV.UK error summary, if the page shows one."""
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, flags=re.S)
    if not summary:
        return []
    return [
        re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(r"<li>(.*?)</li>", summary[1], re.S)
    ]


def to_post(data: dict[str, list[str]]) -> dict[str, Any]:
    return {k: v if len(v) != 1 else v[0] for k, v in data.items()}
