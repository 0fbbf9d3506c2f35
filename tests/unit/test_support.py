"""The invisible primary's rules: progress against targets, the race being boxed out, and
names that look the same being the same name.

The strategy: "Winning the “invisible primary.” This means securing the support of as many
labor unions, progressive organizations, and organic community leaders as possible, well in
advance of announcing for the election, boxing out non-DSA progressives."
"""

from __future__ import annotations

import pytest

from bot.domain.support import (
    Supporter,
    SupportInputError,
    SupportKind,
    SupportStatus,
    progress,
    validate_name,
    validate_targets,
)


def supporter(name: str, kind: SupportKind, status: SupportStatus) -> Supporter:
    return Supporter(1, 1, 1, name, kind, status, notes="")


def test_progress_counts_commitments_against_each_kinds_target() -> None:
    found = progress(
        [
            *(supporter(f"U{i}", SupportKind.UNION, SupportStatus.COMMITTED) for i in range(5)),
            supporter("U5", SupportKind.UNION, SupportStatus.DECLINED),
            supporter("Zed Local", SupportKind.UNION, SupportStatus.OTHER),
            supporter("Alpha Org", SupportKind.ORGANISATION, SupportStatus.OTHER),
            supporter("Cllr Ng", SupportKind.OFFICIAL, SupportStatus.COMMITTED),
        ],
        {SupportKind.UNION: 8, SupportKind.LEADER: 2},
    )
    assert [k.line for k in found.kinds] == [
        "5 of 8 target unions committed",
        "0 progressive organisations committed",
        "0 of 2 target community leaders committed",
        "1 elected official committed",
    ]
    assert [s.name for s in found.boxed_out] == ["Alpha Org", "Zed Local"]


def test_nothing_tracked_is_empty() -> None:
    assert progress([], {}).empty


@pytest.mark.parametrize("name", ["", "   ", "\u200b", "\u200d\u2060 \ufeff"])
def test_an_invisible_name_is_refused(name: str) -> None:
    with pytest.raises(SupportInputError, match="Give the organisation's"):
        validate_name(name, other_names=[])


def test_names_that_look_the_same_are_the_same() -> None:
    with pytest.raises(SupportInputError, match="already on this race"):
        validate_name("  seiu\u200b   1199 ", other_names=["SEIU 1199"])
    assert validate_name(" SEIU \u200b 32BJ ", other_names=["SEIU 1199"]) == "SEIU 32BJ"


@pytest.mark.parametrize("target", [0, -1, 1001])
def test_a_target_outside_1_to_1000_is_refused(target: int) -> None:
    with pytest.raises(SupportInputError, match="from 1 to 1000"):
        validate_targets({SupportKind.UNION: target})
