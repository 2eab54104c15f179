"""The possible-name rule measured on sentences written for it (tests/data/*.tsv): fictional
safeguarding learning, about half naming somebody (hyphenated, lower case, with zero-width
characters, with titles, names that are also words) and half naming nobody but full of
capitalised words (agencies, months, places, themes, "Child B").

possible_names.tsv is the set the rules were developed on; possible_names_holdout.tsv was
written afterwards and not tuned on. Both must find at least 90% of the named sentences and
flag at most 5% of the others. Run with -s to see the figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from safeguarding.reports import publication

DATA = Path(__file__).parent / "data"
MARKS = {"{zwsp}": "\u200b", "{zwj}": "\u200d", "{shy}": "\u00ad", "{nbsp}": "\u00a0"}


def _sentences(name: str) -> list[tuple[bool, str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, text = line.split("\t")
        for mark, char in MARKS.items():
            text = text.replace(mark, char)
        rows.append((label == "name", text))
    return rows


def _flagged(text: str) -> bool:
    known = publication.known_details([], safe_phrases=["Northshire Police", "Child A"])
    findings = publication.check_text([("Sentence", text)], known)
    return any(f.kind == publication.POSSIBLE_NAME for f in findings)


@pytest.mark.parametrize("name", ["possible_names.tsv", "possible_names_holdout.tsv"])
def test_possible_names_are_found_with_few_false_alarms(name):
    rows = _sentences(name)
    named = [text for has_name, text in rows if has_name]
    unnamed = [text for has_name, text in rows if not has_name]
    found = [text for text in named if _flagged(text)]
    alarms = [text for text in unnamed if _flagged(text)]
    recall = len(found) / len(named)
    false_alarm_rate = len(alarms) / len(unnamed)
    flagged = len(found) + len(alarms)
    precision = len(found) / flagged if flagged else 1.0
    print(
        f"\npossible names ({name}): sentences {len(rows)} (with a name {len(named)}, without "
        f"{len(unnamed)}); names found {len(found)}/{len(named)} (recall {recall:.2f}); false "
        f"alarms {len(alarms)}/{len(unnamed)} ({false_alarm_rate:.1%}); precision {precision:.2f}"
    )
    for text in sorted(set(named) - set(found)):
        print(f"  missed: {text!r}")
    for text in alarms:
        print(f"  false alarm: {text!r}")
    assert len(rows) >= 40 and len(named) >= 20 and len(unnamed) >= 20
    assert recall >= 0.9
    assert false_alarm_rate <= 0.05


def test_the_development_set_has_at_least_100_sentences_about_half_named():
    rows = _sentences("possible_names.tsv")
    named = sum(1 for has_name, _ in rows if has_name)
    assert len(rows) >= 100
    assert 0.4 <= named / len(rows) <= 0.6
