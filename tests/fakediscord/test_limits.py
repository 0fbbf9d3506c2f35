"""Tests for tests/fakediscord/limits.py: each documented limit, at and over it."""

from __future__ import annotations

import copy
from types import SimpleNamespace
from typing import Any

import discord
import pytest
from discord import app_commands

from tests.fakediscord.limits import (
    COMMAND_TOTAL_CHARS_MAX,
    EMPTY_MESSAGE_BODY,
    EmptyMessage,
    form_body_error,
    validate_autocomplete,
    validate_commands,
    validate_message,
    validate_modal,
)

# ---------------------------------------------------------------- helpers


def leaf_codes(errors: dict[str, Any] | None, path: tuple[str | int, ...]) -> list[str]:
    """The ``_errors`` codes at ``path`` (``[]`` when nothing is there)."""
    node: Any = errors or {}
    for part in path:
        if not isinstance(node, dict) or str(part) not in node:
            return []
        node = node[str(part)]
    return [e["code"] for e in node.get("_errors", [])] if isinstance(node, dict) else []


def all_leaves(errors: dict[str, Any] | None, prefix: tuple[str, ...] = ()) -> list[tuple]:
    out: list[tuple] = []
    for key, value in (errors or {}).items():
        if key == "_errors":
            out.extend((prefix, e["code"]) for e in value)
        else:
            out.extend(all_leaves(value, (*prefix, key)))
    return out


def assert_only_error(errors: dict | None, path: tuple, code: str) -> None:
    assert errors is not None, "expected an error"
    want = tuple(str(p) for p in path)
    assert all_leaves(errors) == [(want, code)], errors


def s(n: int, ch: str = "a") -> str:
    return ch * n


def msg(**kw: Any) -> dict[str, Any]:
    return kw


def button(custom_id: str = "b", **kw: Any) -> dict[str, Any]:
    return {"type": 2, "style": 1, "label": "x", "custom_id": custom_id, **kw}


def row(*children: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(children)}


def sel_opt(i: int = 0, **kw: Any) -> dict[str, Any]:
    return {"label": f"l{i}", "value": f"v{i}", **kw}


def string_select(n_options: int = 1, custom_id: str = "sel", **kw: Any) -> dict[str, Any]:
    return {
        "type": 3,
        "custom_id": custom_id,
        "options": [sel_opt(i) for i in range(n_options)],
        **kw,
    }


def embed_msg(**embed: Any) -> dict[str, Any]:
    return {"embeds": [embed]}


def field(name: str = "n", value: str = "v") -> dict[str, Any]:
    return {"name": name, "value": value}


# ---------------------------------------------------------------- messages

# (id, payload exactly at the limit, payload just over it, error path, error code)
MESSAGE_CASES: list[tuple[str, dict, dict, tuple, str]] = [
    ("content", msg(content=s(2000)), msg(content=s(2001)), ("content",), "BASE_TYPE_MAX_LENGTH"),
    (
        "embed count",
        {"embeds": [{"title": "t"}] * 10},
        {"embeds": [{"title": "t"}] * 11},
        ("embeds",),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "embed title",
        embed_msg(title=s(256)),
        embed_msg(title=s(257)),
        ("embeds", 0, "title"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "embed description",
        embed_msg(description=s(4096)),
        embed_msg(description=s(4097)),
        ("embeds", 0, "description"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "embed field count",
        embed_msg(fields=[field()] * 25),
        embed_msg(fields=[field()] * 26),
        ("embeds", 0, "fields"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "embed field name",
        embed_msg(fields=[field(name=s(256))]),
        embed_msg(fields=[field(name=s(257))]),
        ("embeds", 0, "fields", 0, "name"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "embed field name empty",
        embed_msg(fields=[field(name=s(1))]),
        embed_msg(fields=[field(name="")]),
        ("embeds", 0, "fields", 0, "name"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "embed field name missing",
        embed_msg(fields=[field()]),
        embed_msg(fields=[{"value": "v"}]),
        ("embeds", 0, "fields", 0, "name"),
        "BASE_TYPE_REQUIRED",
    ),
    (
        "embed field value",
        embed_msg(fields=[field(value=s(1024))]),
        embed_msg(fields=[field(value=s(1025))]),
        ("embeds", 0, "fields", 0, "value"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "embed field value empty",
        embed_msg(fields=[field(value="v")]),
        embed_msg(fields=[field(value="")]),
        ("embeds", 0, "fields", 0, "value"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "embed footer",
        embed_msg(footer={"text": s(2048)}),
        embed_msg(footer={"text": s(2049)}),
        ("embeds", 0, "footer", "text"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "embed author",
        embed_msg(author={"name": s(256)}),
        embed_msg(author={"name": s(257)}),
        ("embeds", 0, "author", "name"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "embed total 6000 across embeds",
        {"embeds": [{"description": s(4096)}, {"description": s(1904)}]},
        {"embeds": [{"description": s(4096)}, {"description": s(1905)}]},
        ("embeds",),
        "MAX_EMBED_SIZE_EXCEEDED",
    ),
    (
        "embed total counts every text field",
        {
            "embeds": [
                {
                    "title": s(256),
                    "description": s(4096),
                    "fields": [field(s(256), s(1024))],
                    "footer": {"text": s(100)},
                    "author": {"name": s(100)},
                },
                {"title": s(168), "url": "https://example.com/" + s(500)},
            ]
        },
        {
            "embeds": [
                {
                    "title": s(256),
                    "description": s(4096),
                    "fields": [field(s(256), s(1024))],
                    "footer": {"text": s(100)},
                    "author": {"name": s(100)},
                },
                {"title": s(169)},
            ]
        },
        ("embeds",),
        "MAX_EMBED_SIZE_EXCEEDED",
    ),
    (
        "action rows",
        {"components": [row(button(f"b{i}")) for i in range(5)]},
        {"components": [row(button(f"b{i}")) for i in range(6)]},
        ("components",),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "buttons per row",
        {"components": [row(*[button(f"b{i}") for i in range(5)])]},
        {"components": [row(*[button(f"b{i}") for i in range(6)])]},
        ("components", 0, "components"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "empty action row",
        {"components": [row(button())]},
        {"components": [row()]},
        ("components", 0, "components"),
        "BASE_TYPE_MIN_LENGTH",
    ),
    (
        "select shares a row",
        {"components": [row(string_select()), row(button())]},
        {"components": [row(string_select(), button())]},
        ("components", 0, "components"),
        "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
    ),
    (
        "button custom_id",
        {"components": [row(button(s(100)))]},
        {"components": [row(button(s(101)))]},
        ("components", 0, "components", 0, "custom_id"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "button custom_id empty",
        {"components": [row(button("x"))]},
        {"components": [row(button(""))]},
        ("components", 0, "components", 0, "custom_id"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "custom_id unique in message",
        {"components": [row(button("a")), row(button("b"))]},
        {"components": [row(button("a")), row(button("a"))]},
        ("components", 1, "components", 0, "custom_id"),
        "COMPONENT_CUSTOM_ID_DUPLICATED",
    ),
    (
        "button label",
        {"components": [row(button(label=s(80)))]},
        {"components": [row(button(label=s(81)))]},
        ("components", 0, "components", 0, "label"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "non-link button needs custom_id",
        {"components": [row(button("x"))]},
        {"components": [row({"type": 2, "style": 1, "label": "x"})]},
        ("components", 0, "components", 0, "custom_id"),
        "BASE_TYPE_REQUIRED",
    ),
    (
        "link button has no custom_id",
        {"components": [row({"type": 2, "style": 5, "label": "x", "url": "https://x"})]},
        {"components": [row({"type": 2, "style": 5, "url": "https://x", "custom_id": "c"})]},
        ("components", 0, "components", 0, "custom_id"),
        "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED",
    ),
    (
        "link button needs url",
        {"components": [row({"type": 2, "style": 5, "url": "https://x"})]},
        {"components": [row({"type": 2, "style": 5, "label": "x"})]},
        ("components", 0, "components", 0, "url"),
        "BUTTON_COMPONENT_URL_REQUIRED",
    ),
    (
        "link button url length",
        {"components": [row({"type": 2, "style": 5, "url": "https://" + s(504)})]},
        {"components": [row({"type": 2, "style": 5, "url": "https://" + s(505)})]},
        ("components", 0, "components", 0, "url"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "custom button cannot have url",
        {"components": [row(button("x"))]},
        {"components": [row(button("x", url="https://x"))]},
        ("components", 0, "components", 0, "url"),
        "BUTTON_COMPONENT_FIELD_NOT_ALLOWED",
    ),
    (
        "select options",
        {"components": [row(string_select(25))]},
        {"components": [row(string_select(26))]},
        ("components", 0, "components", 0, "options"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "select needs an option",
        {"components": [row(string_select(1))]},
        {"components": [row(string_select(0))]},
        ("components", 0, "components", 0, "options"),
        "BASE_TYPE_MIN_LENGTH",
    ),
    (
        "select option label",
        {"components": [row(string_select(options=[sel_opt(label=s(100))]))]},
        {"components": [row(string_select(options=[sel_opt(label=s(101))]))]},
        ("components", 0, "components", 0, "options", 0, "label"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "select option value",
        {"components": [row(string_select(options=[sel_opt(value=s(100))]))]},
        {"components": [row(string_select(options=[sel_opt(value=s(101))]))]},
        ("components", 0, "components", 0, "options", 0, "value"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "select option description",
        {"components": [row(string_select(options=[sel_opt(description=s(100))]))]},
        {"components": [row(string_select(options=[sel_opt(description=s(101))]))]},
        ("components", 0, "components", 0, "options", 0, "description"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "select placeholder",
        {"components": [row(string_select(placeholder=s(150)))]},
        {"components": [row(string_select(placeholder=s(151)))]},
        ("components", 0, "components", 0, "placeholder"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "select custom_id",
        {"components": [row(string_select(custom_id=s(100)))]},
        {"components": [row(string_select(custom_id=s(101)))]},
        ("components", 0, "components", 0, "custom_id"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "select max_values 25",
        {"components": [row(string_select(25, max_values=25))]},
        {"components": [row(string_select(25, max_values=26))]},
        ("components", 0, "components", 0, "max_values"),
        "NUMBER_TYPE_MAX",
    ),
    (
        "select max_values at least 1",
        {"components": [row(string_select(1, min_values=0, max_values=1))]},
        {"components": [row(string_select(1, min_values=0, max_values=0))]},
        ("components", 0, "components", 0, "max_values"),
        "NUMBER_TYPE_MIN",
    ),
    (
        "select min_values 25",
        {"components": [row(string_select(25, min_values=25, max_values=25))]},
        {"components": [row({"type": 5, "custom_id": "u", "min_values": 26, "max_values": 25})]},
        ("components", 0, "components", 0, "min_values"),
        "NUMBER_TYPE_MAX",
    ),
    (
        "select max_values <= options",
        {"components": [row(string_select(3, max_values=3))]},
        {"components": [row(string_select(3, max_values=4))]},
        ("components", 0, "components", 0, "max_values"),
        "SELECT_COMPONENT_TOO_MANY_VALUES",
    ),
    (
        "select min_values <= max_values",
        {"components": [row(string_select(3, min_values=2, max_values=2))]},
        {"components": [row(string_select(3, min_values=3, max_values=2))]},
        ("components", 0, "components", 0, "min_values"),
        "SELECT_COMPONENT_MIN_VALUES_TOO_LARGE",
    ),
    (
        "user select default_values in range",
        {
            "components": [
                row(
                    {
                        "type": 5,
                        "custom_id": "u",
                        "max_values": 2,
                        "default_values": [{"id": "1", "type": "user"}] * 2,
                    }
                )
            ]
        },
        {
            "components": [
                row(
                    {
                        "type": 5,
                        "custom_id": "u",
                        "max_values": 2,
                        "default_values": [{"id": "1", "type": "user"}] * 3,
                    }
                )
            ]
        },
        ("components", 0, "components", 0, "default_values"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "text input not allowed in messages",
        {"components": [row(button())]},
        {"components": [row({"type": 4, "custom_id": "t", "style": 1, "label": "l"})]},
        ("components", 0, "components", 0, "type"),
        "UNION_TYPE_CHOICES",
    ),
    (
        "top level must be action rows",
        {"components": [row(button())]},
        {"components": [button()]},
        ("components", 0, "type"),
        "UNION_TYPE_CHOICES",
    ),
    (
        "components v2: 40 in total",
        {"flags": 1 << 15, "components": [{"type": 10, "content": "x"}] * 40},
        {"flags": 1 << 15, "components": [{"type": 10, "content": "x"}] * 41},
        ("components",),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "components v2: nested components count",
        {
            "flags": 1 << 15,
            "components": [{"type": 17, "components": [{"type": 10, "content": "x"}] * 39}],
        },
        {
            "flags": 1 << 15,
            "components": [{"type": 17, "components": [{"type": 10, "content": "x"}] * 40}],
        },
        ("components",),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "components v2: section holds 1-3 text displays",
        {
            "flags": 1 << 15,
            "components": [
                {
                    "type": 9,
                    "components": [{"type": 10, "content": "x"}] * 3,
                    "accessory": button(),
                }
            ],
        },
        {
            "flags": 1 << 15,
            "components": [
                {
                    "type": 9,
                    "components": [{"type": 10, "content": "x"}] * 4,
                    "accessory": button(),
                }
            ],
        },
        ("components", 0, "components"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "sticker_ids",
        {"sticker_ids": ["1", "2", "3"]},
        {"sticker_ids": ["1", "2", "3", "4"]},
        ("sticker_ids",),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "attachments",
        {"attachments": [{"id": i, "filename": "f"} for i in range(10)]},
        {"attachments": [{"id": i, "filename": "f"} for i in range(11)]},
        ("attachments",),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "nonce",
        msg(content="x", nonce=s(25)),
        msg(content="x", nonce=s(26)),
        ("nonce",),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "allowed_mentions users",
        msg(content="x", allowed_mentions={"users": [str(i) for i in range(100)]}),
        msg(content="x", allowed_mentions={"users": [str(i) for i in range(101)]}),
        ("allowed_mentions", "users"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "allowed_mentions parse vs users",
        msg(content="x", allowed_mentions={"parse": ["roles"], "users": ["1"]}),
        msg(content="x", allowed_mentions={"parse": ["users"], "users": ["1"]}),
        ("allowed_mentions",),
        "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
    ),
]


def poll(question: str = "q?", answers: int = 2, answer_text: str = "a", **kw: Any) -> dict:
    return {
        "poll": {
            "question": {"text": question},
            "answers": [{"poll_media": {"text": answer_text}} for _ in range(answers)],
            **kw,
        }
    }


MESSAGE_CASES += [
    (
        "poll question",
        poll(s(300)),
        poll(s(301)),
        ("poll", "question", "text"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "poll answers",
        poll(answers=10),
        poll(answers=11),
        ("poll", "answers"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "poll answer text",
        poll(answers=1, answer_text=s(55)),
        poll(answers=1, answer_text=s(56)),
        ("poll", "answers", 0, "poll_media", "text"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "poll duration",
        poll(duration=768),
        poll(duration=769),
        ("poll", "duration"),
        "NUMBER_TYPE_MAX",
    ),
]


V2 = 1 << 15  # IS_COMPONENTS_V2
TEXT = {"type": 10, "content": "x"}


def section(accessory: dict[str, Any]) -> dict[str, Any]:
    return {"type": 9, "components": [TEXT], "accessory": accessory}


def gallery(*descriptions: str | None) -> dict[str, Any]:
    items = [{"media": {"url": "https://x/a.png"}, "description": d} for d in descriptions]
    return {"type": 12, "items": items}


MESSAGE_CASES += [
    (
        "embed title: surrounding whitespace is trimmed",
        embed_msg(title="   " + s(256) + "\n "),
        embed_msg(title="   " + s(257) + "\n "),
        ("embeds", 0, "title"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "embed field name: whitespace only is empty",
        embed_msg(fields=[field(name=" x ")]),
        embed_msg(fields=[field(name="   ")]),
        ("embeds", 0, "fields", 0, "name"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "embed total ignores surrounding whitespace",
        {"embeds": [{"description": s(4096) + "   "}, {"description": "  " + s(1904)}]},
        {"embeds": [{"description": s(4096) + "   "}, {"description": "  " + s(1905)}]},
        ("embeds",),
        "MAX_EMBED_SIZE_EXCEEDED",
    ),
    (
        "components v2: no content",
        {"flags": V2, "components": [TEXT], "content": None},
        {"flags": V2, "components": [TEXT], "content": "hi"},
        ("content",),
        "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
    ),
    (
        "components v2: no embeds",
        {"flags": V2, "components": [TEXT], "embeds": []},
        {"flags": V2, "components": [TEXT], "embeds": [{"title": "t"}]},
        ("embeds",),
        "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
    ),
    (
        "components v2: no stickers",
        {"flags": V2, "components": [TEXT], "sticker_ids": []},
        {"flags": V2, "components": [TEXT], "sticker_ids": ["1"]},
        ("sticker_ids",),
        "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
    ),
    (
        "components v2: thumbnail description",
        {"flags": V2, "components": [section({"type": 11, "description": s(1024)})]},
        {"flags": V2, "components": [section({"type": 11, "description": s(1025)})]},
        ("components", 0, "accessory", "description"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "components v2: media gallery 10 items",
        {"flags": V2, "components": [gallery(*[None] * 10)]},
        {"flags": V2, "components": [gallery(*[None] * 11)]},
        ("components", 0, "items"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "components v2: media gallery item description",
        {"flags": V2, "components": [gallery(s(1024))]},
        {"flags": V2, "components": [gallery(s(1025))]},
        ("components", 0, "items", 0, "description"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "components v2: section accessory button custom_id",
        {"flags": V2, "components": [section(button(s(100)))]},
        {"flags": V2, "components": [section(button(s(101)))]},
        ("components", 0, "accessory", "custom_id"),
        "BASE_TYPE_BAD_LENGTH",
    ),
]


@pytest.mark.parametrize(
    ("ok", "bad", "path", "code"),
    [c[1:] for c in MESSAGE_CASES],
    ids=[c[0] for c in MESSAGE_CASES],
)
def test_message_limit(ok: dict, bad: dict, path: tuple, code: str) -> None:
    assert validate_message(ok) is None
    assert validate_message(ok, is_edit=True) is None
    assert_only_error(validate_message(bad), path, code)
    # edits are held to the same limits
    assert_only_error(validate_message(bad, is_edit=True), path, code)


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"content": ""},
        {"content": None, "embeds": [], "components": [], "attachments": []},
        {"tts": True, "allowed_mentions": {"parse": []}},
        {"flags": 64},
        {"message_reference": {"type": 0, "message_id": "1"}},
    ],
    ids=["nothing", "empty content", "all empty", "only options", "only flags", "bare reply"],
)
def test_empty_message_raises(payload: dict) -> None:
    with pytest.raises(EmptyMessage) as info:
        validate_message(payload)
    assert info.value.status == 400
    assert info.value.body == {"code": 50006, "message": "Cannot send an empty message"}
    assert info.value.body == EMPTY_MESSAGE_BODY
    # a PATCH is a partial update: it may carry only some fields, or none
    assert validate_message(payload, is_edit=True) is None


@pytest.mark.parametrize(
    "payload",
    [
        {"content": "x"},
        {"embeds": [{"title": "t"}]},
        {"components": [row(button())]},
        {"attachments": [{"id": 0, "filename": "a.txt"}]},
        {"sticker_ids": ["1"]},
        poll(),
        {"shared_client_theme": {"colors": ["5865F2"], "gradient_angle": 0}},
        {"message_reference": {"type": 1, "message_id": "1", "channel_id": "2"}},
    ],
    ids=["content", "embed", "components", "file", "sticker", "poll", "theme", "forward"],
)
def test_non_empty_messages(payload: dict) -> None:
    assert validate_message(payload) is None


def test_form_errors_win_over_empty() -> None:
    errors = validate_message({"content": "", "embeds": [{"title": s(300)}] * 0 + [{}] * 11})
    assert leaf_codes(errors, ("embeds",)) == ["BASE_TYPE_MAX_LENGTH"]


def test_several_errors_are_all_reported() -> None:
    errors = validate_message({"content": s(2001), "embeds": [{"title": s(257)}]})
    assert leaf_codes(errors, ("content",)) == ["BASE_TYPE_MAX_LENGTH"]
    assert leaf_codes(errors, ("embeds", 0, "title")) == ["BASE_TYPE_MAX_LENGTH"]


def test_error_messages_are_discord_shaped() -> None:
    errors = validate_message({"content": s(2001)})
    assert errors == {
        "content": {
            "_errors": [
                {"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}
            ]
        }
    }
    assert form_body_error(errors) == {
        "code": 50035,
        "message": "Invalid Form Body",
        "errors": errors,
    }


@pytest.mark.asyncio
async def test_real_discord_py_view_passes() -> None:
    view = discord.ui.View()
    for i in range(5):
        view.add_item(discord.ui.Button(label=s(80), custom_id=f"b{i}", row=0))
    view.add_item(discord.ui.Button(label="link", url="https://example.com", row=1))
    view.add_item(
        discord.ui.Select(options=[discord.SelectOption(label=f"o{i}") for i in range(25)], row=2)
    )
    view.add_item(discord.ui.UserSelect(row=3, max_values=25))
    payload = {"content": s(2000), "components": view.to_components()}
    assert validate_message(payload) is None


@pytest.mark.asyncio
async def test_real_discord_py_select_over_25_options_rejected() -> None:
    # discord.py doesn't check an options list passed to the constructor
    select = discord.ui.Select(options=[discord.SelectOption(label=f"o{i}") for i in range(26)])
    view = discord.ui.View()
    view.add_item(select)
    errors = validate_message({"components": view.to_components()})
    assert_only_error(errors, ("components", 0, "components", 0, "options"), "BASE_TYPE_MAX_LENGTH")


def test_real_discord_py_embed_over_6000_rejected() -> None:
    embeds = [discord.Embed(title=s(256), description=s(4096)) for _ in range(2)]
    errors = validate_message({"embeds": [e.to_dict() for e in embeds]})
    assert_only_error(errors, ("embeds",), "MAX_EMBED_SIZE_EXCEEDED")


# ---------------------------------------------------------------- modals


def modal(*components: dict[str, Any], title: str = "T", custom_id: str = "m") -> dict:
    return {"custom_id": custom_id, "title": title, "components": list(components)}


def ti(custom_id: str = "t", **kw: Any) -> dict[str, Any]:
    return {"type": 4, "custom_id": custom_id, "style": 1, "label": "l", **kw}


def label(component: dict[str, Any], text: str = "Label", **kw: Any) -> dict[str, Any]:
    return {"type": 18, "label": text, "component": component, **kw}


def lti(custom_id: str = "t", **kw: Any) -> dict[str, Any]:
    return {"type": 4, "custom_id": custom_id, "style": 1, **kw}


def radio(n: int, custom_id: str = "r") -> dict[str, Any]:
    return {"type": 21, "custom_id": custom_id, "options": [sel_opt(i) for i in range(n)]}


def checkboxes(n: int, custom_id: str = "c", **kw: Any) -> dict[str, Any]:
    return {"type": 22, "custom_id": custom_id, "options": [sel_opt(i) for i in range(n)], **kw}


MODAL_CASES: list[tuple[str, dict, dict, tuple, str]] = [
    (
        "title",
        modal(row(ti()), title=s(45)),
        modal(row(ti()), title=s(46)),
        ("title",),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "title empty",
        modal(row(ti()), title="T"),
        modal(row(ti()), title=""),
        ("title",),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "custom_id",
        modal(row(ti()), custom_id=s(100)),
        modal(row(ti()), custom_id=s(101)),
        ("custom_id",),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "five components",
        modal(*[row(ti(f"t{i}")) for i in range(5)]),
        modal(*[row(ti(f"t{i}")) for i in range(6)]),
        ("components",),
        "BASE_TYPE_MAX_LENGTH",
    ),
    ("at least one component", modal(row(ti())), modal(), ("components",), "BASE_TYPE_MIN_LENGTH"),
    (
        "action row holds one text input",
        modal(row(ti("a")), row(ti("b"))),
        modal(row(ti("a"), ti("b"))),
        ("components", 0, "components"),
        "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
    ),
    (
        "text input label in action row",
        modal(row(ti(label=s(45)))),
        modal(row(ti(label=s(46)))),
        ("components", 0, "components", 0, "label"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "text input placeholder",
        modal(row(ti(placeholder=s(100)))),
        modal(row(ti(placeholder=s(101)))),
        ("components", 0, "components", 0, "placeholder"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "text input min_length",
        modal(row(ti(min_length=4000))),
        modal(row(ti(min_length=4001))),
        ("components", 0, "components", 0, "min_length"),
        "NUMBER_TYPE_MAX",
    ),
    (
        "text input min_length >= 0",
        modal(row(ti(min_length=0))),
        modal(row(ti(min_length=-1))),
        ("components", 0, "components", 0, "min_length"),
        "NUMBER_TYPE_MIN",
    ),
    (
        "text input max_length",
        modal(row(ti(max_length=4000))),
        modal(row(ti(max_length=4001))),
        ("components", 0, "components", 0, "max_length"),
        "NUMBER_TYPE_MAX",
    ),
    (
        "text input max_length >= 1",
        modal(row(ti(max_length=1))),
        modal(row(ti(max_length=0))),
        ("components", 0, "components", 0, "max_length"),
        "NUMBER_TYPE_MIN",
    ),
    (
        "text input value",
        modal(row(ti(value=s(4000)))),
        modal(row(ti(value=s(4001)))),
        ("components", 0, "components", 0, "value"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "text input custom_id",
        modal(row(ti(s(100)))),
        modal(row(ti(s(101)))),
        ("components", 0, "components", 0, "custom_id"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "custom_id unique in modal",
        modal(row(ti("a")), label(lti("b"))),
        modal(row(ti("a")), label(lti("a"))),
        ("components", 1, "component", "custom_id"),
        "COMPONENT_CUSTOM_ID_DUPLICATED",
    ),
    (
        "label text",
        modal(label(lti(), text=s(45))),
        modal(label(lti(), text=s(46))),
        ("components", 0, "label"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "label description",
        modal(label(lti(), description=s(100))),
        modal(label(lti(), description=s(101))),
        ("components", 0, "description"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "text input in label: max_length",
        modal(label(lti(max_length=4000))),
        modal(label(lti(max_length=4001))),
        ("components", 0, "component", "max_length"),
        "NUMBER_TYPE_MAX",
    ),
    (
        "text input in label: placeholder",
        modal(label(lti(placeholder=s(100)))),
        modal(label(lti(placeholder=s(101)))),
        ("components", 0, "component", "placeholder"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "string select in label: options",
        modal(label(string_select(25))),
        modal(label(string_select(26))),
        ("components", 0, "component", "options"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "select in modal cannot be disabled",
        modal(label(string_select(2, disabled=False))),
        modal(label(string_select(2, disabled=True))),
        ("components", 0, "component", "disabled"),
        "COMPONENT_DISABLED_IN_MODAL",
    ),
    (
        "file upload max_values",
        modal(label({"type": 19, "custom_id": "f", "max_values": 10})),
        modal(label({"type": 19, "custom_id": "f", "max_values": 11})),
        ("components", 0, "component", "max_values"),
        "NUMBER_TYPE_MAX",
    ),
    (
        "file upload min_values",
        modal(label({"type": 19, "custom_id": "f", "min_values": 10, "max_values": 10})),
        modal(label({"type": 19, "custom_id": "f", "min_values": 11, "max_values": 10})),
        ("components", 0, "component", "min_values"),
        "NUMBER_TYPE_MAX",
    ),
    (
        "radio group at most 10 options",
        modal(label(radio(10))),
        modal(label(radio(11))),
        ("components", 0, "component", "options"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "radio group at least 2 options",
        modal(label(radio(2))),
        modal(label(radio(1))),
        ("components", 0, "component", "options"),
        "BASE_TYPE_MIN_LENGTH",
    ),
    (
        "checkbox group options",
        modal(label(checkboxes(10))),
        modal(label(checkboxes(11))),
        ("components", 0, "component", "options"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "checkbox group max_values",
        modal(label(checkboxes(10, max_values=10))),
        modal(label(checkboxes(10, max_values=11))),
        ("components", 0, "component", "max_values"),
        "NUMBER_TYPE_MAX",
    ),
    (
        "label cannot wrap a button",
        modal(label(lti())),
        modal(label(button())),
        ("components", 0, "component", "type"),
        "UNION_TYPE_CHOICES",
    ),
    (
        "select in modal: min_values 0 needs required false",
        modal(label(string_select(2, min_values=0, required=False))),
        modal(label(string_select(2, min_values=0))),
        ("components", 0, "component", "min_values"),
        "NUMBER_TYPE_MIN",
    ),
    (
        "file upload: min_values 0 needs required false",
        modal(label({"type": 19, "custom_id": "f", "min_values": 0, "required": False})),
        modal(label({"type": 19, "custom_id": "f", "min_values": 0, "required": True})),
        ("components", 0, "component", "min_values"),
        "NUMBER_TYPE_MIN",
    ),
    (
        "checkbox group: min_values 0 needs required false",
        modal(label(checkboxes(3, min_values=0, required=False))),
        modal(label(checkboxes(3, min_values=0))),
        ("components", 0, "component", "min_values"),
        "NUMBER_TYPE_MIN",
    ),
    (
        "radio option label",
        modal(
            label({"type": 21, "custom_id": "r", "options": [sel_opt(0), sel_opt(1, label=s(100))]})
        ),
        modal(
            label({"type": 21, "custom_id": "r", "options": [sel_opt(0), sel_opt(1, label=s(101))]})
        ),
        ("components", 0, "component", "options", 1, "label"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "checkbox custom_id",
        modal(label({"type": 23, "custom_id": s(100)})),
        modal(label({"type": 23, "custom_id": s(101)})),
        ("components", 0, "component", "custom_id"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "text display in modal",
        modal({"type": 10, "content": "Read this first"}, label(lti())),
        modal({"type": 10, "content": ""}, label(lti())),
        ("components", 0, "content"),
        "BASE_TYPE_BAD_LENGTH",
    ),
]


@pytest.mark.parametrize(
    ("ok", "bad", "path", "code"),
    [c[1:] for c in MODAL_CASES],
    ids=[c[0] for c in MODAL_CASES],
)
def test_modal_limit(ok: dict, bad: dict, path: tuple, code: str) -> None:
    assert validate_modal(ok) is None
    assert_only_error(validate_modal(bad), path, code)


@pytest.mark.asyncio
async def test_real_discord_py_modal_passes() -> None:
    m = discord.ui.Modal(title=s(45))
    m.add_item(discord.ui.TextInput(label=s(45), max_length=4000, placeholder=s(100)))
    m.add_item(discord.ui.Label(text=s(45), description=s(100), component=discord.ui.TextInput()))
    m.add_item(
        discord.ui.Label(
            text="pick",
            component=discord.ui.Select(
                options=[discord.SelectOption(label=f"o{i}") for i in range(25)]
            ),
        )
    )
    m.add_item(discord.ui.Label(text="files", component=discord.ui.FileUpload(max_values=10)))
    m.add_item(discord.ui.TextDisplay("Some text"))
    assert validate_modal(m.to_dict()) is None


@pytest.mark.asyncio
async def test_real_discord_py_modal_new_components_pass() -> None:
    m = discord.ui.Modal(title="Ballot")
    m.add_item(
        discord.ui.Label(
            text="Pick one",
            component=discord.ui.RadioGroup(
                options=[discord.RadioGroupOption(label=f"r{i}") for i in range(10)]
            ),
        )
    )
    m.add_item(
        discord.ui.Label(
            text="Pick some",
            component=discord.ui.CheckboxGroup(
                options=[discord.CheckboxGroupOption(label=f"c{i}") for i in range(10)],
                max_values=10,
            ),
        )
    )
    m.add_item(discord.ui.Label(text="Agree?", component=discord.ui.Checkbox()))
    m.add_item(
        discord.ui.Label(
            text="Optional files",
            component=discord.ui.FileUpload(min_values=0, max_values=3, required=False),
        )
    )
    assert validate_modal(m.to_dict()) is None


@pytest.mark.asyncio
async def test_real_discord_py_layout_view_passes() -> None:
    view = discord.ui.LayoutView()
    container = discord.ui.Container(
        discord.ui.TextDisplay("# Race plan"),
        discord.ui.Separator(),
        discord.ui.ActionRow(discord.ui.Button(label="Endorse", custom_id="endorse")),
    )
    view.add_item(container)
    payload = {"flags": 1 << 15, "components": view.to_components()}
    assert validate_message(payload) is None
    payload["content"] = "legacy"
    assert_only_error(
        validate_message(payload),
        ("content",),
        "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
    )


@pytest.mark.asyncio
async def test_real_discord_py_modal_title_over_45_rejected() -> None:
    m = discord.ui.Modal(title=s(46))
    m.add_item(discord.ui.TextInput(label="x"))
    assert_only_error(validate_modal(m.to_dict()), ("title",), "BASE_TYPE_BAD_LENGTH")


# ---------------------------------------------------------------- autocomplete


def ac(n: int = 1, name: str = "n", value: Any = "v") -> dict[str, Any]:
    return {"choices": [{"name": name, "value": value} for _ in range(n)]}


AUTOCOMPLETE_CASES: list[tuple[str, dict, dict, tuple, str]] = [
    ("choices", ac(25), ac(26), ("choices",), "BASE_TYPE_MAX_LENGTH"),
    (
        "choice name",
        ac(name=s(100)),
        ac(name=s(101)),
        ("choices", 0, "name"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "choice name empty",
        ac(name="n"),
        ac(name=""),
        ("choices", 0, "name"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "string value",
        ac(value=s(100)),
        ac(value=s(101)),
        ("choices", 0, "value"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    ("choices required", ac(0), {}, ("choices",), "BASE_TYPE_REQUIRED"),
]


@pytest.mark.parametrize(
    ("ok", "bad", "path", "code"),
    [c[1:] for c in AUTOCOMPLETE_CASES],
    ids=[c[0] for c in AUTOCOMPLETE_CASES],
)
def test_autocomplete_limit(ok: dict, bad: dict, path: tuple, code: str) -> None:
    assert validate_autocomplete(ok) is None
    assert_only_error(validate_autocomplete(bad), path, code)


def test_autocomplete_numeric_values_pass() -> None:
    assert validate_autocomplete({"choices": [{"name": "a", "value": 10**12}]}) is None
    assert validate_autocomplete({"choices": [{"name": "a", "value": 1.5}]}) is None


# ---------------------------------------------------------------- commands


def cmd(name: str = "cmd", description: str = "d", options: list | None = None, **kw: Any) -> dict:
    out: dict[str, Any] = {"name": name, "description": description, "type": 1, **kw}
    if options is not None:
        out["options"] = options
    return out


def opt(name: str = "o", type: int = 3, description: str = "d", **kw: Any) -> dict:
    return {"name": name, "type": type, "description": description, **kw}


def choices(n: int, value: Any = None) -> list[dict[str, Any]]:
    return [{"name": f"c{i}", "value": value if value is not None else f"v{i}"} for i in range(n)]


def sized_command(total: int) -> dict:
    """A command whose counted characters (names, descriptions, choices) sum to ``total``."""
    remaining = total - 100  # command name "c" + 99-char description
    options = []
    while remaining > 0:
        remaining -= 4  # option name "oNN" + 1-char description
        ch: list[dict[str, Any]] = []
        while remaining > 0 and len(ch) < 25:
            take = min(200, remaining)
            n = (take + 1) // 2
            ch.append({"name": f"{len(ch):02d}" + s(n - 2), "value": s(take - n)})
            remaining -= take
        options.append(opt(f"o{len(options):02d}", choices=ch))
    return cmd("c", s(99), options)


COMMAND_CASES: list[tuple[str, list, list, tuple, str]] = [
    ("name length", [cmd(s(32))], [cmd(s(33))], (0, "name"), "BASE_TYPE_BAD_LENGTH"),
    ("name empty", [cmd("a")], [cmd("")], (0, "name"), "BASE_TYPE_BAD_LENGTH"),
    (
        "name lowercase",
        [cmd("hello")],
        [cmd("Hello")],
        (0, "name"),
        "APPLICATION_COMMAND_INVALID_NAME",
    ),
    (
        "name no spaces",
        [cmd("a-b_c")],
        [cmd("a b")],
        (0, "name"),
        "APPLICATION_COMMAND_INVALID_NAME",
    ),
    (
        "name no punctuation",
        [cmd("it's")],
        [cmd("a.b")],
        (0, "name"),
        "APPLICATION_COMMAND_INVALID_NAME",
    ),
    (
        "description",
        [cmd(description=s(100))],
        [cmd(description=s(101))],
        (0, "description"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "description empty",
        [cmd(description="d")],
        [cmd(description="")],
        (0, "description"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "name localization",
        [cmd(name_localizations={"fr": "bonjour"})],
        [cmd(name_localizations={"fr": "Bonjour"})],
        (0, "name_localizations", "fr"),
        "APPLICATION_COMMAND_INVALID_NAME",
    ),
    (
        "description localization",
        [cmd(description_localizations={"de": s(100)})],
        [cmd(description_localizations={"de": s(101)})],
        (0, "description_localizations", "de"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "25 options",
        [cmd(options=[opt(f"o{i}") for i in range(25)])],
        [cmd(options=[opt(f"o{i}") for i in range(26)])],
        (0, "options"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "option name",
        [cmd(options=[opt(s(32))])],
        [cmd(options=[opt("Opt")])],
        (0, "options", 0, "name"),
        "APPLICATION_COMMAND_INVALID_NAME",
    ),
    (
        "option name length",
        [cmd(options=[opt(s(32))])],
        [cmd(options=[opt(s(33))])],
        (0, "options", 0, "name"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "option description",
        [cmd(options=[opt(description=s(100))])],
        [cmd(options=[opt(description=s(101))])],
        (0, "options", 0, "description"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "option names unique",
        [cmd(options=[opt("a"), opt("b")])],
        [cmd(options=[opt("a"), opt("a")])],
        (0, "options", 1, "name"),
        "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS",
    ),
    (
        "required before optional",
        [cmd(options=[opt("a", required=True), opt("b", required=False)])],
        [cmd(options=[opt("a", required=False), opt("b", required=True)])],
        (0, "options", 1, "required"),
        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
    ),
    (
        "25 choices",
        [cmd(options=[opt(choices=choices(25))])],
        [cmd(options=[opt(choices=choices(26))])],
        (0, "options", 0, "choices"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "choice name",
        [cmd(options=[opt(choices=[{"name": s(100), "value": "v"}])])],
        [cmd(options=[opt(choices=[{"name": s(101), "value": "v"}])])],
        (0, "options", 0, "choices", 0, "name"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "choice string value",
        [cmd(options=[opt(choices=[{"name": "n", "value": s(100)}])])],
        [cmd(options=[opt(choices=[{"name": "n", "value": s(101)}])])],
        (0, "options", 0, "choices", 0, "value"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "choice integer value",
        [cmd(options=[opt(type=4, choices=[{"name": "n", "value": 2**53 - 1}])])],
        [cmd(options=[opt(type=4, choices=[{"name": "n", "value": 2**53}])])],
        (0, "options", 0, "choices", 0, "value"),
        "NUMBER_TYPE_MAX",
    ),
    (
        "choices only on string/integer/number",
        [cmd(options=[opt(type=4, choices=choices(2, value=1))])],
        [cmd(options=[opt(type=5, choices=choices(2, value=1))])],
        (0, "options", 0, "choices"),
        "APPLICATION_COMMAND_OPTION_CHOICES_INVALID",
    ),
    (
        "autocomplete and choices",
        [cmd(options=[opt(autocomplete=True)])],
        [cmd(options=[opt(autocomplete=True, choices=choices(2))])],
        (0, "options", 0, "autocomplete"),
        "APPLICATION_COMMAND_AUTOCOMPLETE_WITH_CHOICES",
    ),
    (
        "min_length",
        [cmd(options=[opt(min_length=6000)])],
        [cmd(options=[opt(min_length=6001)])],
        (0, "options", 0, "min_length"),
        "NUMBER_TYPE_MAX",
    ),
    (
        "max_length",
        [cmd(options=[opt(max_length=6000)])],
        [cmd(options=[opt(max_length=6001)])],
        (0, "options", 0, "max_length"),
        "NUMBER_TYPE_MAX",
    ),
    (
        "max_length >= 1",
        [cmd(options=[opt(min_length=0, max_length=1)])],
        [cmd(options=[opt(max_length=0)])],
        (0, "options", 0, "max_length"),
        "NUMBER_TYPE_MIN",
    ),
    (
        "integer min_value range",
        [cmd(options=[opt(type=4, min_value=-(2**53) + 1)])],
        [cmd(options=[opt(type=4, min_value=-(2**53))])],
        (0, "options", 0, "min_value"),
        "NUMBER_TYPE_MIN",
    ),
    (
        "total 8000 characters",
        [sized_command(COMMAND_TOTAL_CHARS_MAX)],
        [sized_command(COMMAND_TOTAL_CHARS_MAX + 1)],
        (0,),
        "APPLICATION_COMMAND_TOO_LARGE",
    ),
    (
        "100 chat input commands",
        [cmd(f"c{i}") for i in range(100)],
        [cmd(f"c{i}") for i in range(101)],
        (),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "5 user commands",
        [{"name": f"User {i}", "type": 2} for i in range(5)],
        [{"name": f"User {i}", "type": 2} for i in range(6)],
        (),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "5 message commands",
        [{"name": f"Msg {i}", "type": 3, "description": ""} for i in range(5)],
        [{"name": f"Msg {i}", "type": 3, "description": ""} for i in range(6)],
        (),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "duplicate command names",
        [cmd("a"), cmd("b")],
        [cmd("a"), cmd("a")],
        (1, "name"),
        "APPLICATION_COMMANDS_DUPLICATE_NAME",
    ),
    (
        "context menu name 1-32",
        [{"name": s(32), "type": 2}],
        [{"name": s(33), "type": 2}],
        (0, "name"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        "context menu has no options",
        [{"name": "Info", "type": 2}],
        [{"name": "Info", "type": 2, "options": [opt()]}],
        (0, "options"),
        "APPLICATION_COMMAND_OPTIONS_INVALID",
    ),
    (
        "group holds subcommands only",
        [cmd(options=[opt("g", type=2, options=[opt("s", type=1)])])],
        [cmd(options=[opt("g", type=2, options=[opt("s", type=3)])])],
        (0, "options", 0, "options", 0, "type"),
        "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
    ),
    (
        "no group inside a group",
        [cmd(options=[opt("g", type=2, options=[opt("s", type=1, options=[opt("x")])])])],
        [cmd(options=[opt("g", type=2, options=[opt("h", type=2, options=[opt("s", type=1)])])])],
        (0, "options", 0, "options", 0, "type"),
        "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
    ),
    (
        "subcommands not mixed with options",
        [cmd(options=[opt("s", type=1), opt("t", type=1)])],
        [cmd(options=[opt("s", type=1), opt("x", type=3)])],
        (0, "options"),
        "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
    ),
    (
        "25 subcommands in a group",
        [cmd(options=[opt("g", type=2, options=[opt(f"s{i}", type=1) for i in range(25)])])],
        [cmd(options=[opt("g", type=2, options=[opt(f"s{i}", type=1) for i in range(26)])])],
        (0, "options", 0, "options"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        "nested option limits use the nested path",
        [
            cmd(
                options=[
                    opt("g", type=2, options=[opt("s", type=1, options=[opt(choices=choices(25))])])
                ]
            )
        ],
        [
            cmd(
                options=[
                    opt("g", type=2, options=[opt("s", type=1, options=[opt(choices=choices(26))])])
                ]
            )
        ],
        (0, "options", 0, "options", 0, "options", 0, "choices"),
        "BASE_TYPE_MAX_LENGTH",
    ),
]


@pytest.mark.parametrize(
    ("ok", "bad", "path", "code"),
    [c[1:] for c in COMMAND_CASES],
    ids=[c[0] for c in COMMAND_CASES],
)
def test_command_limit(ok: list, bad: list, path: tuple, code: str) -> None:
    assert validate_commands(ok) is None
    assert_only_error(validate_commands(bad), path, code)


@pytest.mark.parametrize(
    "name",
    ["café", "привет", "नमस्ते", "สวัสดี", "日本語", "a-b_c'd", "x1"],
)
def test_unicode_command_names_pass(name: str) -> None:
    assert validate_commands([cmd(name)]) is None


def test_errors_nest_under_the_command_index() -> None:
    payload = [cmd("a"), cmd("b"), cmd("c", options=[opt("x"), opt("y"), opt(choices=choices(26))])]
    errors = validate_commands(payload)
    assert errors == {
        "2": {
            "options": {
                "2": {
                    "choices": {
                        "_errors": [
                            {
                                "code": "BASE_TYPE_MAX_LENGTH",
                                "message": "Must be 25 or fewer in length.",
                            }
                        ]
                    }
                }
            }
        }
    }


def test_same_name_different_types_allowed() -> None:
    assert validate_commands([cmd("info"), {"name": "info", "type": 2}]) is None


def test_100_chat_input_plus_context_menus_allowed() -> None:
    payload = [cmd(f"c{i}") for i in range(100)]
    payload += [{"name": f"U{i}", "type": 2} for i in range(5)]
    payload += [{"name": f"M{i}", "type": 3} for i in range(5)]
    assert validate_commands(payload) is None


def test_sized_command_counts_exactly() -> None:
    assert COMMAND_TOTAL_CHARS_MAX == 8000  # docs "Slash Commands" (was 4000 in older docs)
    for total in (150, 5104, 7999, 8000):
        command = sized_command(total)
        counted = sum(len(command[k]) for k in ("name", "description"))
        for o in command["options"]:
            counted += len(o["name"]) + len(o["description"])
            counted += sum(len(c["name"]) + len(c["value"]) for c in o["choices"])
        assert counted == total
    assert validate_commands([sized_command(7999)]) is None


def test_total_counts_the_longest_localization() -> None:
    command = sized_command(COMMAND_TOTAL_CHARS_MAX)  # default description is 99 chars
    command["description_localizations"] = {"de": s(99), "fr": s(50)}
    assert validate_commands([command]) is None
    command["description_localizations"]["de"] = s(100)  # now 1 over
    assert_only_error(validate_commands([command]), (0,), "APPLICATION_COMMAND_TOO_LARGE")


# ------------------------------------------- real discord.py commands -> CommandSyncFailure


@pytest.fixture
def tree() -> app_commands.CommandTree:
    client = discord.Client(intents=discord.Intents.none())
    return app_commands.CommandTree(client)


def sync_failure(errors: dict, commands: list) -> app_commands.CommandSyncFailure:
    response = SimpleNamespace(status=400, reason="Bad Request")
    child = discord.HTTPException(response, form_body_error(errors))  # type: ignore[arg-type]
    return app_commands.CommandSyncFailure(child, commands)


def test_discord_py_command_with_101_char_description(tree: app_commands.CommandTree) -> None:
    @app_commands.command(name="long", description=s(101))
    async def long_description(interaction: discord.Interaction) -> None: ...

    errors = validate_commands([long_description.to_dict(tree)])
    assert_only_error(errors, (0, "description"), "BASE_TYPE_BAD_LENGTH")
    text = str(sync_failure(errors, [long_description]))
    assert "In command 'long' defined in function 'test_discord_py_command_with_101" in text
    assert "description: Must be between 1 and 100 in length." in text


def test_discord_py_command_with_26_choices(tree: app_commands.CommandTree) -> None:
    @app_commands.command(name="many", description="Too many choices")
    @app_commands.choices(x=[app_commands.Choice(name=f"n{i}", value=f"v{i}") for i in range(26)])
    async def many(interaction: discord.Interaction, y: int, x: str) -> None: ...

    ok = app_commands.Command(
        name="fine", description="ok", callback=many.callback
    )  # same parameters (and 26 choices), used to show the index matters
    payload = [many.to_dict(tree)]
    errors = validate_commands(payload)
    assert_only_error(errors, (0, "options", 1, "choices"), "BASE_TYPE_MAX_LENGTH")
    text = str(sync_failure(errors, [many]))
    assert "In command 'many' defined in function" in text
    assert "In parameter 'x'" in text
    assert "choices: Must be 25 or fewer in length." in text

    # the index names the right command when it isn't the first one
    errors = validate_commands([cmd("first"), payload[0]])
    assert list(errors) == ["1"]
    text = str(sync_failure(errors, [ok, many]))
    assert "In command 'many'" in text and "In parameter 'x'" in text


@pytest.mark.parametrize(
    "payload",
    [
        [cmd(f"c{i}") for i in range(101)],
        [cmd("Bad" if i == 3 else f"c{i}") for i in range(101)],
        [cmd("a"), cmd("a")],
        [sized_command(COMMAND_TOTAL_CHARS_MAX + 1)],
        [{"name": f"U{i}", "type": 2} for i in range(6)],
    ],
    ids=["101 commands", "101 commands and a bad name", "duplicates", "too large", "6 user"],
)
def test_every_command_error_is_readable_by_discord_py(payload: list) -> None:
    # CommandSyncFailure must be constructible from whatever the fake returns; a
    # top-level "_errors" next to per-command keys makes discord.py raise AttributeError.
    errors = validate_commands(payload)
    assert errors is not None
    assert "_errors" not in errors or list(errors) == ["_errors"]
    text = str(sync_failure(errors, []))
    assert text.startswith(
        "Failed to upload commands to Discord (HTTP status 400, error code 50035)"
    )


def test_too_many_commands_message(tree: app_commands.CommandTree) -> None:
    errors = validate_commands([cmd(f"c{i}") for i in range(101)])
    assert "Must be 100 or fewer in length." in str(sync_failure(errors, []))


def test_discord_py_tree_within_limits_passes(tree: app_commands.CommandTree) -> None:
    group = app_commands.Group(name="race", description=s(100))
    sub = app_commands.Group(name="plan", description="Race plans", parent=group)

    @sub.command(name="show", description="Show a plan")
    @app_commands.describe(race="Which race")
    @app_commands.choices(
        race=[app_commands.Choice(name=s(100), value=f"{i:03d}" + s(97)) for i in range(3)]
    )
    async def show(interaction: discord.Interaction, race: str, verbose: bool = False) -> None: ...

    @app_commands.command(name="ping", description="Ping")
    async def ping(interaction: discord.Interaction, text: str | None = None) -> None: ...

    @app_commands.context_menu(name="Endorse This")
    async def endorse(interaction: discord.Interaction, message: discord.Message) -> None: ...

    for command in (group, ping, endorse):
        tree.add_command(command)
    payload = [c.to_dict(tree) for c in tree.get_commands()]
    assert validate_commands(payload) is None


def test_inputs_are_not_mutated() -> None:
    payload = [cmd(options=[opt(choices=choices(26))])]
    before = copy.deepcopy(payload)
    validate_commands(payload)
    assert payload == before
