"""Discord's documented request limits, enforced by the fake Discord server.

This module is the single place where ``tests/fakediscord`` checks the limits that
Discord documents for the payloads a bot sends, so that a bot passing our suite never
meets ``400 Invalid Form Body`` from the real API.

API (the server imports exactly these names)::

    validate_commands(payload: list[dict]) -> dict | None
        Body of ``PUT /applications/{id}/commands`` and
        ``PUT /applications/{id}/guilds/{gid}/commands`` (bulk overwrite).
    validate_message(payload: dict, *, is_edit: bool = False) -> dict | None
        Channel message create/edit, interaction callback ``data`` for types 4 and 7,
        webhook (followup) message create/edit. Pass ``is_edit=True`` for PATCH routes
        and for callback type 7 (UPDATE_MESSAGE): those are partial updates, so the
        emptiness check is skipped.
    validate_modal(payload: dict) -> dict | None
        ``data`` of interaction callback type 9 (MODAL).
    validate_autocomplete(payload: dict) -> dict | None
        ``data`` of interaction callback type 8 (APPLICATION_COMMAND_AUTOCOMPLETE_RESULT).
    class EmptyMessage(Exception)

Return value: ``None`` when the payload is valid, otherwise the ``errors`` object that
Discord nests in its 400 body. The server answers::

    400 {"code": 50035, "message": "Invalid Form Body", "errors": <returned dict>}

(:func:`form_body_error` builds exactly that body). The dict is nested by field path
with ``_errors`` leaves, as Discord does, e.g.
``{"content": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH",
"message": "Must be 2000 or fewer in length."}]}}``. For command sync the errors are
nested under the command's index in the list (``{"0": {"options": {"2": {"choices":
...}}}}``), which is what ``discord.app_commands.CommandSyncFailure`` walks to name the
offending command and parameter. Errors that concern the whole list (too many
commands, duplicate names) sit at the top level under ``_errors``.

Empty messages: **validate_message raises** :class:`EmptyMessage` when a *create*
(``is_edit=False``) has none of content, embeds, components, attachments/files,
sticker_ids or poll. The server must catch it and answer
``400 {"code": 50006, "message": "Cannot send an empty message"}``; the exception's
``body`` attribute (and :data:`EMPTY_MESSAGE_BODY`) is exactly that JSON body, and
``status`` is 400. Emptiness is checked only when the payload is otherwise valid, so
a 50035 error takes precedence (a raise can't carry both).

The limits, and where Discord documents them, are listed next to each check: "docs:"
comments quote Discord's developer documentation (discord/discord-api-docs,
``developers/`` tree: interactions/application-commands, interactions/receiving-and-
responding, components/reference, resources/message, resources/poll). The few checks
marked "NOT in Discord's docs" model long-standing API behaviour instead.
Error *codes* for the ``BASE_TYPE_*`` / ``NUMBER_TYPE_*`` families and the message
texts follow what Discord returns; codes for the few structural errors (duplicate
names, option ordering, ...) are modelled and only their path matters to discord.py.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

__all__ = [
    "EMPTY_MESSAGE_BODY",
    "EmptyMessage",
    "form_body_error",
    "validate_autocomplete",
    "validate_commands",
    "validate_message",
    "validate_modal",
]

EMPTY_MESSAGE_BODY: dict[str, Any] = {"code": 50006, "message": "Cannot send an empty message"}


class EmptyMessage(Exception):
    """Raised by :func:`validate_message` for a create with nothing to show.

    The server answers ``status`` (400) with ``body``
    (``{"code": 50006, "message": "Cannot send an empty message"}``).
    """

    status = 400
    code = 50006

    def __init__(self) -> None:
        super().__init__(EMPTY_MESSAGE_BODY["message"])
        self.body: dict[str, Any] = dict(EMPTY_MESSAGE_BODY)


def form_body_error(errors: dict[str, Any]) -> dict[str, Any]:
    """The full 400 JSON body Discord sends for an ``errors`` object."""
    return {"code": 50035, "message": "Invalid Form Body", "errors": errors}


# --------------------------------------------------------------------------- helpers

Path = tuple[str | int, ...]

# Component types (docs: components/reference "Component Types").
ACTION_ROW, BUTTON, STRING_SELECT, TEXT_INPUT = 1, 2, 3, 4
USER_SELECT, ROLE_SELECT, MENTIONABLE_SELECT, CHANNEL_SELECT = 5, 6, 7, 8
SECTION, TEXT_DISPLAY, THUMBNAIL, MEDIA_GALLERY, FILE = 9, 10, 11, 12, 13
SEPARATOR, CONTAINER, LABEL, FILE_UPLOAD = 14, 17, 18, 19
RADIO_GROUP, CHECKBOX_GROUP, CHECKBOX = 21, 22, 23
SELECTS = frozenset({STRING_SELECT, USER_SELECT, ROLE_SELECT, MENTIONABLE_SELECT, CHANNEL_SELECT})
AUTO_SELECTS = SELECTS - {STRING_SELECT}

IS_COMPONENTS_V2 = 1 << 15


class _Errors:
    """Collects errors into Discord's nested ``{"a": {"0": {"_errors": [...]}}}`` shape."""

    def __init__(self) -> None:
        self.tree: dict[str, Any] = {}

    def add(self, path: Path, code: str, message: str) -> None:
        node = self.tree
        for part in path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def result(self) -> dict[str, Any] | None:
        return self.tree or None

    # -- common checks; each returns True when the value passed -------------------

    def string(
        self,
        path: Path,
        value: Any,
        *,
        max_len: int,
        min_len: int = 0,
        required: bool = False,
        strip: bool = False,
    ) -> bool:
        """A string field. ``None`` counts as absent (discord.py sends some as null).

        ``strip``: measure without leading/trailing whitespace (embed fields: docs
        "Embed Limits": "Leading and trailing whitespace characters are not included
        (they are trimmed automatically)").
        """
        if value is None:
            if required:
                self.add(path, "BASE_TYPE_REQUIRED", "This field is required")
                return False
            return True
        if not isinstance(value, str):
            self.add(path, "BASE_TYPE_STRING", "Could not interpret value as string.")
            return False
        n = len(value.strip()) if strip else len(value)
        if min_len > 0 and (n < min_len or n > max_len):
            self.add(
                path,
                "BASE_TYPE_BAD_LENGTH",
                f"Must be between {min_len} and {max_len} in length.",
            )
            return False
        if n > max_len:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {max_len} or fewer in length.")
            return False
        return True

    def array(
        self,
        path: Path,
        value: Any,
        *,
        max_len: int,
        min_len: int = 0,
        required: bool = False,
    ) -> list[Any] | None:
        """An array field; returns the list to iterate when it is a list."""
        if value is None:
            if required:
                self.add(path, "BASE_TYPE_REQUIRED", "This field is required")
            return None
        if not isinstance(value, list):
            self.add(path, "BASE_TYPE_ARRAY", "Could not interpret value as array.")
            return None
        if len(value) > max_len:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {max_len} or fewer in length.")
        elif len(value) < min_len:
            self.add(path, "BASE_TYPE_MIN_LENGTH", f"Must be {min_len} or more in length.")
        return value

    def integer(
        self,
        path: Path,
        value: Any,
        *,
        lo: int | float,
        hi: int | float,
        required: bool = False,
        kind: str = "int",
    ) -> bool:
        if value is None:
            if required:
                self.add(path, "BASE_TYPE_REQUIRED", "This field is required")
                return False
            return True
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(path, "NUMBER_TYPE_COERCE", f"Value is not a valid {kind}.")
            return False
        if kind == "int" and isinstance(value, float) and not value.is_integer():
            self.add(path, "NUMBER_TYPE_COERCE", "Value is not int.")
            return False
        if value < lo:
            self.add(
                path, "NUMBER_TYPE_MIN", f"{kind} value should be greater than or equal to {lo}."
            )
            return False
        if value > hi:
            self.add(path, "NUMBER_TYPE_MAX", f"{kind} value should be less than or equal to {hi}.")
            return False
        return True


def _obj(errors: _Errors, path: Path, value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        errors.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return None
    return value


# ------------------------------------------------------------------------ commands

# docs: interactions/application-commands "Application Command Types".
CHAT_INPUT, USER, MESSAGE, PRIMARY_ENTRY_POINT = 1, 2, 3, 4
# docs: "Registering a Command": 100 global CHAT_INPUT, 5 USER, 5 MESSAGE,
# 1 PRIMARY_ENTRY_POINT; "the same amount of guild-specific commands per guild".
MAX_COMMANDS_PER_TYPE = {CHAT_INPUT: 100, USER: 5, MESSAGE: 5, PRIMARY_ENTRY_POINT: 1}

# docs: "Application Command Option Type".
SUB_COMMAND, SUB_COMMAND_GROUP, STRING, INTEGER, NUMBER = 1, 2, 3, 4, 10
OPTION_TYPES = frozenset(range(1, 12))
CHOICE_TYPES = frozenset({STRING, INTEGER, NUMBER})
# docs: INTEGER "Any integer between -2^53+1 and 2^53-1"; NUMBER "between -2^53 and 2^53".
INT_MIN, INT_MAX = -(2**53) + 1, 2**53 - 1
NUM_MIN, NUM_MAX = -(2**53), 2**53

# docs: "Application Command Naming": ^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$ with
# the unicode flag; lowercase where a lowercase variant exists. Python's ``re`` has no
# \p{..}; _is_name_char spells the class out (letters, numbers, Devanagari and Thai
# marks included via their Unicode names).
_NAME_PUNCT = frozenset("-_'")


def _is_name_char(ch: str) -> bool:
    if ch in _NAME_PUNCT:
        return True
    cat = unicodedata.category(ch)
    if cat[0] in ("L", "N"):
        return True
    if cat[0] == "M":  # combining marks are allowed only for the Devanagari/Thai scripts
        name = unicodedata.name(ch, "")
        return name.startswith(("DEVANAGARI", "THAI"))
    return False


def _chat_input_name_ok(name: str) -> bool:
    if not 1 <= len(name) <= 32:
        return False
    if not all(_is_name_char(ch) for ch in name):
        return False
    return name == name.lower()


_NAME_INVALID = ("APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")


def _check_name(errors: _Errors, path: Path, name: Any, *, chat_input: bool) -> None:
    if not errors.string(path, name, min_len=1, max_len=32, required=True):
        return
    if chat_input and not _chat_input_name_ok(name):
        errors.add(path, *_NAME_INVALID)


def _check_localizations(
    errors: _Errors,
    path: Path,
    value: Any,
    *,
    kind: str,
    chat_input: bool,
) -> None:
    # docs: "Values follow the same restrictions as name/description".
    locs = _obj(errors, path, value)
    if not locs:
        return
    for locale, text in locs.items():
        if kind == "name":
            _check_name(errors, (*path, locale), text, chat_input=chat_input)
        else:
            errors.string((*path, locale), text, min_len=1, max_len=100, required=True)


def _choice_value_ok(errors: _Errors, path: Path, opt_type: Any, value: Any) -> None:
    if opt_type == STRING:
        # docs: "Value for the choice, up to 100 characters if string".
        errors.string(path, value, max_len=100, required=True)
    elif opt_type == INTEGER:
        errors.integer(path, value, lo=INT_MIN, hi=INT_MAX, required=True, kind="int")
    elif opt_type == NUMBER:
        errors.integer(path, value, lo=NUM_MIN, hi=NUM_MAX, required=True, kind="float")


# docs ("Slash Commands"): "Slash commands can have a maximum of 8000 characters for
# combined name, description, and value properties for each command, its options
# (including subcommands and groups), and choices. When localization fields are
# present, only the longest localization for each field (including the default value)
# is counted towards the size limit." Older revisions of the docs said 4000; the
# current developers/ docs say 8000, which is what Discord enforces today.
COMMAND_TOTAL_CHARS_MAX = 8000


def _longest(obj: dict[str, Any], key: str) -> int:
    """Length of ``obj[key]`` or of its longest localization, whichever is longer."""
    value = obj.get(key)
    n = len(value) if isinstance(value, str) else 0
    locs = obj.get(f"{key}_localizations")
    if isinstance(locs, dict):
        n = max([n, *(len(v) for v in locs.values() if isinstance(v, str))])
    return n


def _choice_chars(choice: dict[str, Any]) -> int:
    n = _longest(choice, "name")
    value = choice.get("value")
    if isinstance(value, str):
        n += len(value)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        n += len(str(value))
    return n


def _check_choices(errors: _Errors, path: Path, raw: Any, opt_type: Any) -> int:
    """Validate an option's choices; returns their character count."""
    # docs: "Choices for the user to pick from, max 25".
    choices = errors.array(path, raw, max_len=25)
    chars = 0
    for i, raw_choice in enumerate(choices or []):
        cpath = (*path, i)
        choice = _obj(errors, cpath, raw_choice)
        if choice is None:
            continue
        # docs: "1-100 character choice name".
        errors.string((*cpath, "name"), choice.get("name"), min_len=1, max_len=100, required=True)
        loc = choice.get("name_localizations")
        locs = _obj(errors, (*cpath, "name_localizations"), loc)
        for locale, text in (locs or {}).items():
            errors.string(
                (*cpath, "name_localizations", locale), text, min_len=1, max_len=100, required=True
            )
        _choice_value_ok(errors, (*cpath, "value"), opt_type, choice.get("value"))
        chars += _choice_chars(choice)
    return chars


def _check_options(errors: _Errors, path: Path, raw: Any, *, depth: int) -> int:
    """Validate an options array at nesting ``depth`` (0 = command level).

    Returns the character count of names/descriptions/choices below this level.
    """
    # docs: "Parameters for the command, max of 25"; subcommand "options ... up to 25".
    options = errors.array(path, raw, max_len=25)
    if not options:
        return 0
    chars = 0
    names: dict[str, int] = {}
    seen_optional = False
    kinds: set[str] = set()
    for i, raw_opt in enumerate(options):
        opath = (*path, i)
        opt = _obj(errors, opath, raw_opt)
        if opt is None:
            continue
        otype = opt.get("type")
        if isinstance(otype, bool) or otype not in OPTION_TYPES:
            errors.add(
                (*opath, "type"), "ENUM_TYPE_COERCE", f'Value "{otype}" is not a valid enum value.'
            )
            continue
        name = opt.get("name")
        _check_name(errors, (*opath, "name"), name, chat_input=True)
        # docs: "1-100 character description".
        errors.string(
            (*opath, "description"), opt.get("description"), min_len=1, max_len=100, required=True
        )
        _check_localizations(
            errors,
            (*opath, "name_localizations"),
            opt.get("name_localizations"),
            kind="name",
            chat_input=True,
        )
        _check_localizations(
            errors,
            (*opath, "description_localizations"),
            opt.get("description_localizations"),
            kind="description",
            chat_input=True,
        )
        chars += _longest(opt, "name") + _longest(opt, "description")
        if isinstance(name, str):
            # docs: "name must be unique within an array of application command options".
            if name in names:
                errors.add(
                    (*opath, "name"),
                    "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS",
                    "Option names must be unique",
                )
            names[name] = i

        if otype in (SUB_COMMAND, SUB_COMMAND_GROUP):
            kinds.add("sub")
            # docs ("Subcommands and Subcommand Groups"): a command holds subcommands
            # and/or groups, a group holds subcommands, a subcommand holds plain options;
            # nesting beyond that is not supported.
            if otype == SUB_COMMAND_GROUP and depth != 0:
                errors.add(
                    (*opath, "type"),
                    "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                    "Subcommand groups can only be nested at the top level of a command",
                )
                continue
            if otype == SUB_COMMAND and depth > 1:
                errors.add(
                    (*opath, "type"),
                    "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                    "Subcommands can be nested at most one group deep",
                )
                continue
            child_depth = depth + 1
            if otype == SUB_COMMAND_GROUP:
                sub = opt.get("options")
                for j, child in enumerate(sub or [] if isinstance(sub, list) else []):
                    # (a nested group is reported by the depth check below)
                    if isinstance(child, dict) and child.get("type") not in (
                        SUB_COMMAND,
                        SUB_COMMAND_GROUP,
                    ):
                        errors.add(
                            (*opath, "options", j, "type"),
                            "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                            "Subcommand groups may only contain subcommands",
                        )
            chars += _check_options(
                errors, (*opath, "options"), opt.get("options"), depth=child_depth
            )
            continue

        kinds.add("value")
        if opt.get("options") is not None:
            errors.add(
                (*opath, "options"),
                "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                "Only subcommands and subcommand groups may have options",
            )
        # docs: "Required options must be listed before optional options".
        if opt.get("required"):
            if seen_optional:
                errors.add(
                    (*opath, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            seen_optional = True

        has_choices = bool(opt.get("choices"))
        if opt.get("choices") is not None:
            if otype not in CHOICE_TYPES:
                errors.add(
                    (*opath, "choices"),
                    "APPLICATION_COMMAND_OPTION_CHOICES_INVALID",
                    "Choices are only allowed on STRING, INTEGER and NUMBER options",
                )
            else:
                chars += _check_choices(errors, (*opath, "choices"), opt.get("choices"), otype)
        # docs: "autocomplete may not be set to true if choices are present".
        if opt.get("autocomplete") and has_choices:
            errors.add(
                (*opath, "autocomplete"),
                "APPLICATION_COMMAND_AUTOCOMPLETE_WITH_CHOICES",
                "Autocomplete cannot be enabled on an option with choices",
            )
        # docs: min_length "minimum of 0, maximum of 6000"; max_length "minimum of 1,
        # maximum of 6000" (STRING).
        if otype == STRING:
            errors.integer((*opath, "min_length"), opt.get("min_length"), lo=0, hi=6000)
            errors.integer((*opath, "max_length"), opt.get("max_length"), lo=1, hi=6000)
        elif otype == INTEGER:
            for key in ("min_value", "max_value"):
                errors.integer((*opath, key), opt.get(key), lo=INT_MIN, hi=INT_MAX)
        elif otype == NUMBER:
            for key in ("min_value", "max_value"):
                errors.integer((*opath, key), opt.get(key), lo=NUM_MIN, hi=NUM_MAX, kind="float")

    if kinds == {"sub", "value"}:
        errors.add(
            (*path,),
            "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
            "Subcommands and subcommand groups cannot be mixed with other options",
        )
    return chars


def _check_command(errors: _Errors, idx: int, cmd: dict[str, Any]) -> None:
    path: Path = (idx,)
    ctype = cmd.get("type", CHAT_INPUT)
    if ctype is None:
        ctype = CHAT_INPUT
    if isinstance(ctype, bool) or ctype not in MAX_COMMANDS_PER_TYPE:
        errors.add(
            (*path, "type"), "ENUM_TYPE_COERCE", f'Value "{ctype}" is not a valid enum value.'
        )
        return
    chat_input = ctype == CHAT_INPUT
    name = cmd.get("name")
    _check_name(errors, (*path, "name"), name, chat_input=chat_input)
    _check_localizations(
        errors,
        (*path, "name_localizations"),
        cmd.get("name_localizations"),
        kind="name",
        chat_input=chat_input,
    )
    description = cmd.get("description")
    if chat_input:
        # docs: "Description for CHAT_INPUT commands, 1-100 characters".
        errors.string((*path, "description"), description, min_len=1, max_len=100, required=True)
        _check_localizations(
            errors,
            (*path, "description_localizations"),
            cmd.get("description_localizations"),
            kind="description",
            chat_input=True,
        )
    elif description not in (None, ""):
        # docs: "Empty string for USER and MESSAGE commands".
        if ctype in (USER, MESSAGE):
            errors.add(
                (*path, "description"),
                "APPLICATION_COMMAND_DESCRIPTION_INVALID",
                "Context menu commands cannot have a description",
            )

    if not chat_input:
        # docs: "options can only be set for application commands of type CHAT_INPUT".
        if cmd.get("options"):
            errors.add(
                (*path, "options"),
                "APPLICATION_COMMAND_OPTIONS_INVALID",
                "Only chat input commands can have options",
            )
        return

    chars = _longest(cmd, "name") + _longest(cmd, "description")
    chars += _check_options(errors, (*path, "options"), cmd.get("options"), depth=0)
    if chars > COMMAND_TOTAL_CHARS_MAX:
        errors.add(
            path,
            "APPLICATION_COMMAND_TOO_LARGE",
            f"Command exceeds maximum size ({COMMAND_TOTAL_CHARS_MAX})",
        )


def validate_commands(payload: list[dict]) -> dict | None:
    """Validate a bulk-overwrite command list; see the module docstring."""
    errors = _Errors()
    if not isinstance(payload, list):
        errors.add((), "BASE_TYPE_ARRAY", "Could not interpret value as array.")
        return errors.result()
    per_type: dict[int, int] = {}
    seen: dict[tuple[Any, str], int] = {}
    for idx, raw in enumerate(payload):
        cmd = _obj(errors, (idx,), raw)
        if cmd is None:
            continue
        _check_command(errors, idx, cmd)
        ctype = cmd.get("type") or CHAT_INPUT
        if isinstance(ctype, int) and not isinstance(ctype, bool):
            per_type[ctype] = per_type.get(ctype, 0) + 1
        name = cmd.get("name")
        if isinstance(name, str):
            # docs: "Command names are unique per application, per type, within each
            # scope".
            key = (ctype, name)
            if key in seen:
                errors.add(
                    (idx, "name"),
                    "APPLICATION_COMMANDS_DUPLICATE_NAME",
                    f"Application command names must be unique (duplicate of command {seen[key]})",
                )
            else:
                seen[key] = idx
    too_many = _Errors()
    for ctype, count in sorted(per_type.items()):
        limit = MAX_COMMANDS_PER_TYPE.get(ctype)
        if limit is not None and count > limit:
            too_many.add(
                (),
                "BASE_TYPE_MAX_LENGTH",
                f"Must be {limit} or fewer in length. ({count} commands of type {ctype})",
            )
    if too_many.tree:
        # A list-level error is reported alone: discord.py's CommandSyncFailure handles
        # a top-level "_errors" only when it is the sole key (it would crash calling
        # .items() on the list if per-command errors sat beside it).
        return too_many.result()
    return errors.result()


# ------------------------------------------------------------------------ messages

# docs: resources/message "Embed Limits".
EMBED_TOTAL_MAX = 6000


def _embed_chars(embed: dict[str, Any]) -> int:
    def s(v: Any) -> int:
        return len(v.strip()) if isinstance(v, str) else 0

    n = s(embed.get("title")) + s(embed.get("description"))
    for field in embed.get("fields") or []:
        if isinstance(field, dict):
            n += s(field.get("name")) + s(field.get("value"))
    footer = embed.get("footer")
    if isinstance(footer, dict):
        n += s(footer.get("text"))
    author = embed.get("author")
    if isinstance(author, dict):
        n += s(author.get("name"))
    return n


def _check_embeds(errors: _Errors, raw: Any) -> None:
    # docs: create message "embeds: Up to 10 rich embeds (up to 6000 characters)".
    embeds = errors.array(("embeds",), raw, max_len=10)
    if not embeds:
        return
    total = 0
    for i, raw_embed in enumerate(embeds):
        epath: Path = ("embeds", i)
        embed = _obj(errors, epath, raw_embed)
        if embed is None:
            continue
        # docs "Embed Limits": title 256, description 4096, up to 25 fields,
        # field name 256, field value 1024, footer text 2048, author name 256.
        errors.string((*epath, "title"), embed.get("title"), max_len=256, strip=True)
        errors.string((*epath, "description"), embed.get("description"), max_len=4096, strip=True)
        fields = errors.array((*epath, "fields"), embed.get("fields"), max_len=25)
        for j, raw_field in enumerate(fields or []):
            fpath = (*epath, "fields", j)
            field = _obj(errors, fpath, raw_field)
            if field is None:
                continue
            # docs: embed field name and value are required strings.
            errors.string(
                (*fpath, "name"),
                field.get("name"),
                min_len=1,
                max_len=256,
                required=True,
                strip=True,
            )
            errors.string(
                (*fpath, "value"),
                field.get("value"),
                min_len=1,
                max_len=1024,
                required=True,
                strip=True,
            )
        footer = _obj(errors, (*epath, "footer"), embed.get("footer"))
        if footer is not None:
            errors.string(
                (*epath, "footer", "text"),
                footer.get("text"),
                min_len=1,
                max_len=2048,
                required=True,
                strip=True,
            )
        author = _obj(errors, (*epath, "author"), embed.get("author"))
        if author is not None:
            errors.string(
                (*epath, "author", "name"),
                author.get("name"),
                min_len=1,
                max_len=256,
                required=True,
                strip=True,
            )
        total += _embed_chars(embed)
    if total > EMBED_TOTAL_MAX:
        errors.add(
            ("embeds",),
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}",
        )


def _check_allowed_mentions(errors: _Errors, raw: Any) -> None:
    # docs: resources/message "Allowed Mentions Object": users/roles arrays max size
    # 100; "parse" with "users" (or "roles") is mutually exclusive with the array.
    am = _obj(errors, ("allowed_mentions",), raw)
    if am is None:
        return
    parse = am.get("parse")
    if parse is not None and not isinstance(parse, list):
        errors.add(
            ("allowed_mentions", "parse"), "BASE_TYPE_ARRAY", "Could not interpret value as array."
        )
        parse = []
    for i, item in enumerate(parse or []):
        if item not in ("roles", "users", "everyone"):
            errors.add(
                ("allowed_mentions", "parse", i),
                "BASE_TYPE_CHOICES",
                "Value must be one of {'roles', 'users', 'everyone'}.",
            )
    for key in ("users", "roles"):
        errors.array(("allowed_mentions", key), am.get(key), max_len=100)
        if am.get(key) and key in (parse or []):
            errors.add(
                ("allowed_mentions",),
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{key}"] and {key}: [ids...] are mutually exclusive.',
            )


class _CustomIds:
    """Tracks custom_id (and numeric id) uniqueness within one message or modal."""

    def __init__(self) -> None:
        self.custom_ids: set[str] = set()
        self.ids: set[int] = set()

    def custom_id(self, errors: _Errors, path: Path, value: Any, *, required: bool) -> None:
        # docs: "custom_id ... 1-100 characters"; "Multiple components on the same
        # message must not share the same custom_id".
        if not errors.string(
            (*path, "custom_id"), value, min_len=1, max_len=100, required=required
        ):
            return
        if value is None:
            return
        if value in self.custom_ids:
            errors.add(
                (*path, "custom_id"),
                "COMPONENT_CUSTOM_ID_DUPLICATED",
                "Component custom id cannot be duplicated",
            )
        self.custom_ids.add(value)

    def numeric_id(self, errors: _Errors, path: Path, value: Any) -> None:
        # docs: "The id must be unique within the message"; 0 is treated as empty.
        if value is None or value == 0:
            return
        if not errors.integer((*path, "id"), value, lo=0, hi=2**31 - 1):
            return
        if value in self.ids:
            errors.add(
                (*path, "id"), "COMPONENT_ID_DUPLICATED", "Component id cannot be duplicated"
            )
        self.ids.add(value)


def _check_select_option(errors: _Errors, path: Path, raw: Any) -> None:
    opt = _obj(errors, path, raw)
    if opt is None:
        return
    # docs "Select Option Structure": label, value, description max 100 characters.
    errors.string((*path, "label"), opt.get("label"), min_len=1, max_len=100, required=True)
    errors.string((*path, "value"), opt.get("value"), min_len=1, max_len=100, required=True)
    errors.string((*path, "description"), opt.get("description"), max_len=100)


def _check_required_min(errors: _Errors, path: Path, comp: dict[str, Any]) -> None:
    # docs (selects in modals, File Upload, Checkbox Group): "min_values must be either
    # omitted or at least 1 if required is omitted or true". ("required" is ignored in
    # messages, and discord.py always sends it, so this is checked in modals only.)
    if comp.get("required") in (None, True) and comp.get("min_values") == 0:
        errors.add(
            (*path, "min_values"),
            "NUMBER_TYPE_MIN",
            "int value should be greater than or equal to 1.",
        )


def _check_select(
    errors: _Errors, path: Path, comp: dict[str, Any], ids: _CustomIds, *, in_modal: bool
) -> None:
    ctype = comp.get("type")
    ids.custom_id(errors, path, comp.get("custom_id"), required=True)
    # docs: placeholder max 150; min_values min 0 max 25; max_values max 25.
    errors.string((*path, "placeholder"), comp.get("placeholder"), max_len=150)
    min_ok = errors.integer((*path, "min_values"), comp.get("min_values"), lo=0, hi=25)
    max_ok = errors.integer((*path, "max_values"), comp.get("max_values"), lo=1, hi=25)
    min_v = comp.get("min_values", 1) if min_ok else None
    max_v = comp.get("max_values", 1) if max_ok else None
    min_v = 1 if min_ok and min_v is None else min_v
    max_v = 1 if max_ok and max_v is None else max_v
    # NOT stated in the docs (API behaviour): min_values <= max_values.
    if min_v is not None and max_v is not None and min_v > max_v:
        errors.add(
            (*path, "min_values"),
            "SELECT_COMPONENT_MIN_VALUES_TOO_LARGE",
            "min_values must be less than or equal to max_values",
        )
    if ctype == STRING_SELECT:
        # docs: "Specified choices in a select menu; max 25". At least one option, and
        # max_values <= len(options), are NOT stated in the docs (API behaviour).
        options = errors.array(
            (*path, "options"), comp.get("options"), min_len=1, max_len=25, required=True
        )
        for i, raw in enumerate(options or []):
            _check_select_option(errors, (*path, "options", i), raw)
        if options and max_v is not None and max_v > len(options):
            errors.add(
                (*path, "max_values"),
                "SELECT_COMPONENT_TOO_MANY_VALUES",
                f"max_values must be less than or equal to the number of options ({len(options)})",
            )
    else:
        # docs: "number of default values must be in the range defined by min_values
        # and max_values".
        defaults = errors.array((*path, "default_values"), comp.get("default_values"), max_len=25)
        if (
            defaults
            and min_v is not None
            and max_v is not None
            and not (min_v <= len(defaults) <= max_v)
        ):
            errors.add(
                (*path, "default_values"),
                "BASE_TYPE_BAD_LENGTH",
                f"Must be between {min_v} and {max_v} in length.",
            )
    if in_modal:
        _check_required_min(errors, path, comp)
    # docs: "Using disabled in a modal will result in an error".
    if in_modal and comp.get("disabled"):
        errors.add(
            (*path, "disabled"),
            "COMPONENT_DISABLED_IN_MODAL",
            "Modal components cannot be disabled",
        )


def _check_button(errors: _Errors, path: Path, comp: dict[str, Any], ids: _CustomIds) -> None:
    style = comp.get("style")
    # docs "Button Styles": 1-6.
    if isinstance(style, bool) or style not in (1, 2, 3, 4, 5, 6):
        errors.add(
            (*path, "style"), "ENUM_TYPE_COERCE", f'Value "{style}" is not a valid enum value.'
        )
        return
    # docs: "label: Text that appears on the button; max 80 characters".
    errors.string((*path, "label"), comp.get("label"), max_len=80)
    has = {k: comp.get(k) not in (None, "") for k in ("custom_id", "url", "sku_id")}
    if style == 5:
        # docs: "Link buttons must have a url, and cannot have a custom_id";
        # url max 512 characters.
        if not has["url"]:
            errors.add(
                (*path, "url"),
                "BUTTON_COMPONENT_URL_REQUIRED",
                "A url is required for link buttons",
            )
        else:
            errors.string((*path, "url"), comp.get("url"), max_len=512)
        if has["custom_id"]:
            errors.add(
                (*path, "custom_id"),
                "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED",
                "A custom id cannot be set on link buttons",
            )
    elif style == 6:
        # docs: "Premium buttons must contain a sku_id, and cannot have a custom_id,
        # label, url, or emoji".
        if not has["sku_id"]:
            errors.add((*path, "sku_id"), "BASE_TYPE_REQUIRED", "This field is required")
        for key in ("custom_id", "label", "url", "emoji"):
            if comp.get(key) not in (None, ""):
                errors.add(
                    (*path, key),
                    "BUTTON_COMPONENT_PREMIUM_FIELD_NOT_ALLOWED",
                    f"Premium buttons cannot have a {key}",
                )
    else:
        # docs: "Non-link and non-premium buttons must have a custom_id, and cannot
        # have a url or a sku_id".
        ids.custom_id(errors, path, comp.get("custom_id"), required=True)
        for key in ("url", "sku_id"):
            if has[key]:
                errors.add(
                    (*path, key),
                    "BUTTON_COMPONENT_FIELD_NOT_ALLOWED",
                    f"Buttons with a custom id cannot have a {key}",
                )


def _check_action_row(
    errors: _Errors, path: Path, row: dict[str, Any], ids: _CustomIds, *, in_modal: bool
) -> None:
    # docs "Action Row": up to 5 buttons, or a single select (messages); a single
    # text input (modals, deprecated in favour of Label).
    children = errors.array(
        (*path, "components"), row.get("components"), min_len=1, max_len=5, required=True
    )
    if not children:
        return
    types = [c.get("type") if isinstance(c, dict) else None for c in children]
    if in_modal:
        if len(children) != 1 or types[0] != TEXT_INPUT:
            errors.add(
                (*path, "components"),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED" if len(children) > 1 else "UNION_TYPE_CHOICES",
                "An action row in a modal must contain exactly one text input",
            )
        for i, child in enumerate(children):
            if isinstance(child, dict) and child.get("type") == TEXT_INPUT:
                _check_text_input(errors, (*path, "components", i), child, ids, in_label=False)
        return
    if any(t in SELECTS for t in types):
        if len(children) != 1:
            errors.add(
                (*path, "components"),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "The specified component exceeds the maximum width",
            )
    for i, child in enumerate(children):
        cpath = (*path, "components", i)
        if not isinstance(child, dict):
            _obj(errors, cpath, child)
            continue
        ids.numeric_id(errors, cpath, child.get("id"))
        ctype = child.get("type")
        if ctype == BUTTON:
            _check_button(errors, cpath, child, ids)
        elif ctype in SELECTS:
            _check_select(errors, cpath, child, ids, in_modal=False)
        else:
            errors.add(
                (*cpath, "type"),
                "UNION_TYPE_CHOICES",
                'Value of field "type" must be one of (2, 3, 5, 6, 7, 8).',
            )


def _count_components(comps: Iterable[Any]) -> int:
    n = 0
    for comp in comps:
        if not isinstance(comp, dict):
            continue
        n += 1
        sub = comp.get("components")  # media gallery "items" are not components
        if isinstance(sub, list):
            n += _count_components(sub)
        acc = comp.get("accessory")
        if isinstance(acc, dict):
            n += 1
    return n


def _check_v2_component(
    errors: _Errors, path: Path, comp: dict[str, Any], ids: _CustomIds, *, top: bool
) -> None:
    ctype = comp.get("type")
    ids.numeric_id(errors, path, comp.get("id"))
    if ctype == ACTION_ROW:
        _check_action_row(errors, path, comp, ids, in_modal=False)
    elif ctype == SECTION:
        # docs "Section": one to three Text Display components plus an accessory
        # (button or thumbnail).
        texts = errors.array(
            (*path, "components"), comp.get("components"), min_len=1, max_len=3, required=True
        )
        for i, t in enumerate(texts or []):
            tpath = (*path, "components", i)
            if not isinstance(t, dict) or t.get("type") != TEXT_DISPLAY:
                errors.add(
                    (*tpath, "type"),
                    "UNION_TYPE_CHOICES",
                    'Value of field "type" must be one of (10,).',
                )
            else:
                ids.numeric_id(errors, tpath, t.get("id"))
        acc = _obj(errors, (*path, "accessory"), comp.get("accessory"))
        if acc is None:
            errors.add((*path, "accessory"), "BASE_TYPE_REQUIRED", "This field is required")
        elif acc.get("type") == BUTTON:
            ids.numeric_id(errors, (*path, "accessory"), acc.get("id"))
            _check_button(errors, (*path, "accessory"), acc, ids)
        elif acc.get("type") == THUMBNAIL:
            # docs "Thumbnail": description (alt text) max 1024 characters.
            ids.numeric_id(errors, (*path, "accessory"), acc.get("id"))
            errors.string((*path, "accessory", "description"), acc.get("description"), max_len=1024)
        else:
            errors.add(
                (*path, "accessory", "type"),
                "UNION_TYPE_CHOICES",
                'Value of field "type" must be one of (2, 11).',
            )
    elif ctype == CONTAINER and top:
        children = errors.array(
            (*path, "components"), comp.get("components"), required=True, max_len=40
        )
        for i, child in enumerate(children or []):
            cpath = (*path, "components", i)
            if not isinstance(child, dict):
                _obj(errors, cpath, child)
            elif child.get("type") in (
                ACTION_ROW,
                TEXT_DISPLAY,
                SECTION,
                MEDIA_GALLERY,
                SEPARATOR,
                FILE,
            ):
                _check_v2_component(errors, cpath, child, ids, top=False)
            else:
                errors.add(
                    (*cpath, "type"),
                    "UNION_TYPE_CHOICES",
                    'Value of field "type" must be one of (1, 9, 10, 12, 13, 14).',
                )
    elif ctype == MEDIA_GALLERY:
        # docs "Media Gallery": 1 to 10 media gallery items; item description (alt
        # text) max 1024 characters.
        items = errors.array(
            (*path, "items"), comp.get("items"), min_len=1, max_len=10, required=True
        )
        for i, raw in enumerate(items or []):
            item = _obj(errors, (*path, "items", i), raw)
            if item is not None:
                errors.string(
                    (*path, "items", i, "description"), item.get("description"), max_len=1024
                )
    elif ctype in (TEXT_DISPLAY, SEPARATOR, FILE):
        pass
    else:
        errors.add(
            (*path, "type"),
            "UNION_TYPE_CHOICES",
            'Value of field "type" must be one of (1, 9, 10, 12, 13, 14, 17).',
        )


def _check_message_components(errors: _Errors, raw: Any, flags: int) -> None:
    ids = _CustomIds()
    if flags & IS_COMPONENTS_V2:
        # docs "Component Reference": with IS_COMPONENTS_V2 "Messages allow up to 40
        # total components".
        comps = errors.array(("components",), raw, max_len=40)
        if not comps:
            return
        total = _count_components(comps)
        if total > 40 and len(comps) <= 40:
            errors.add(
                ("components",),
                "BASE_TYPE_MAX_LENGTH",
                f"Must be 40 or fewer in length. ({total} components in total)",
            )
        for i, comp in enumerate(comps):
            path: Path = ("components", i)
            c = _obj(errors, path, comp)
            if c is not None:
                _check_v2_component(errors, path, c, ids, top=True)
        return
    # docs "Legacy Message Component Behavior": "Legacy messages allow up to 5 action
    # rows as top-level components".
    comps = errors.array(("components",), raw, max_len=5)
    for i, comp in enumerate(comps or []):
        path = ("components", i)
        row = _obj(errors, path, comp)
        if row is None:
            continue
        ids.numeric_id(errors, path, row.get("id"))
        if row.get("type") != ACTION_ROW:
            errors.add(
                (*path, "type"), "UNION_TYPE_CHOICES", 'Value of field "type" must be one of (1,).'
            )
            continue
        _check_action_row(errors, path, row, ids, in_modal=False)


def _check_poll(errors: _Errors, raw: Any) -> None:
    # docs resources/poll "Poll Create Request Object": question text max 300, up to 10
    # answers, answer text max 55, duration up to 32 days (768 hours).
    poll = _obj(errors, ("poll",), raw)
    if poll is None:
        return
    question = _obj(errors, ("poll", "question"), poll.get("question"))
    if question is None:
        errors.add(("poll", "question"), "BASE_TYPE_REQUIRED", "This field is required")
    else:
        errors.string(
            ("poll", "question", "text"),
            question.get("text"),
            min_len=1,
            max_len=300,
            required=True,
        )
    answers = errors.array(
        ("poll", "answers"), poll.get("answers"), min_len=1, max_len=10, required=True
    )
    for i, raw_answer in enumerate(answers or []):
        apath: Path = ("poll", "answers", i)
        answer = _obj(errors, apath, raw_answer)
        media = _obj(errors, (*apath, "poll_media"), (answer or {}).get("poll_media"))
        if media is not None:
            errors.string((*apath, "poll_media", "text"), media.get("text"), max_len=55)
    errors.integer(("poll", "duration"), poll.get("duration"), lo=1, hi=768)


def _present(payload: dict[str, Any], key: str) -> bool:
    return payload.get(key) not in (None, "", [], {})


# docs create message: "At least one of content, embeds, sticker_ids, components,
# files[n], poll, or shared_client_theme is required. When forwarding a message, only
# message_reference is required." (files travel as ``attachments`` metadata.)
_CONTENT_FIELDS = (
    "content",
    "embeds",
    "sticker_ids",
    "components",
    "attachments",
    "files",
    "poll",
    "shared_client_theme",
)
# docs create message: with IS_COMPONENTS_V2 "the message can only contain components.
# Providing content, embeds, sticker_ids, poll, or shared_client_theme will fail"; on
# edit they "must have their values reset to empty" (null or []).
_LEGACY_FIELDS = ("content", "embeds", "sticker_ids", "poll", "shared_client_theme")
MESSAGE_REFERENCE_FORWARD = 1


def _is_empty(payload: dict[str, Any]) -> bool:
    if any(_present(payload, k) for k in _CONTENT_FIELDS):
        return False
    ref = payload.get("message_reference")
    return not (isinstance(ref, dict) and ref.get("type") == MESSAGE_REFERENCE_FORWARD)


def validate_message(payload: dict, *, is_edit: bool = False) -> dict | None:
    """Validate a message create/edit body; see the module docstring.

    Raises :class:`EmptyMessage` for an otherwise valid create with nothing in it.
    """
    errors = _Errors()
    if not isinstance(payload, dict):
        errors.add((), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return errors.result()
    # docs create message: "content: Message contents (up to 2000 characters)".
    errors.string(("content",), payload.get("content"), max_len=2000)
    _check_embeds(errors, payload.get("embeds"))
    if payload.get("embed") is not None:  # legacy single-embed field
        _check_embeds(errors, [payload["embed"]])
    _check_allowed_mentions(errors, payload.get("allowed_mentions"))
    flags = payload.get("flags") or 0
    if not isinstance(flags, int) or isinstance(flags, bool):
        errors.add(("flags",), "NUMBER_TYPE_COERCE", "Value is not int.")
        flags = 0
    _check_message_components(errors, payload.get("components"), flags)
    if flags & IS_COMPONENTS_V2:
        for key in _LEGACY_FIELDS:
            if _present(payload, key):
                errors.add(
                    (key,),
                    "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                    f"The '{key}' field cannot be used when using MessageFlags.IS_COMPONENTS_V2",
                )
    # docs create message: "sticker_ids: IDs of up to 3 stickers".
    errors.array(("sticker_ids",), payload.get("sticker_ids"), max_len=3)
    # NOT in Discord's docs: at most 10 attachments per message. Long-standing API
    # behaviour; discord.py documents "files ... Must be a maximum of 10" but does not
    # check it, so the fake does.
    errors.array(("attachments",), payload.get("attachments"), max_len=10)
    # docs create message: "nonce: ... (up to 25 characters)".
    nonce = payload.get("nonce")
    if isinstance(nonce, int) and not isinstance(nonce, bool):
        nonce = str(nonce)
    if isinstance(nonce, str):
        errors.string(("nonce",), nonce, max_len=25)
    _check_poll(errors, payload.get("poll"))
    result = errors.result()
    if result is None and not is_edit and _is_empty(payload):
        raise EmptyMessage()
    return result


# -------------------------------------------------------------------------- modals


def _check_text_input(
    errors: _Errors, path: Path, comp: dict[str, Any], ids: _CustomIds, *, in_label: bool
) -> None:
    # docs "Text Input Structure".
    ids.custom_id(errors, path, comp.get("custom_id"), required=True)
    style = comp.get("style")
    if isinstance(style, bool) or style not in (1, 2):
        errors.add(
            (*path, "style"), "ENUM_TYPE_COERCE", f'Value "{style}" is not a valid enum value.'
        )
    if in_label:
        # The label field is deprecated in favour of the Label component; discord.py
        # sends ``label: null`` inside a Label. Only its length is checked.
        errors.string((*path, "label"), comp.get("label"), max_len=45)
    else:
        # Text input directly in an action row carries its own label, max 45.
        errors.string((*path, "label"), comp.get("label"), min_len=1, max_len=45, required=True)
    errors.integer((*path, "min_length"), comp.get("min_length"), lo=0, hi=4000)
    errors.integer((*path, "max_length"), comp.get("max_length"), lo=1, hi=4000)
    errors.string((*path, "value"), comp.get("value"), max_len=4000)
    errors.string((*path, "placeholder"), comp.get("placeholder"), max_len=100)


def _check_group_option(errors: _Errors, path: Path, raw: Any) -> None:
    _check_select_option(errors, path, raw)


def _check_label_child(errors: _Errors, path: Path, comp: dict[str, Any], ids: _CustomIds) -> None:
    ids.numeric_id(errors, path, comp.get("id"))
    ctype = comp.get("type")
    if ctype == TEXT_INPUT:
        _check_text_input(errors, path, comp, ids, in_label=True)
    elif ctype in SELECTS:
        _check_select(errors, path, comp, ids, in_modal=True)
    elif ctype == FILE_UPLOAD:
        # docs "File Upload Structure": custom_id 1-100; min_values 0-10; max_values
        # max 10.
        ids.custom_id(errors, path, comp.get("custom_id"), required=True)
        if errors.integer((*path, "min_values"), comp.get("min_values"), lo=0, hi=10):
            _check_required_min(errors, path, comp)
        errors.integer((*path, "max_values"), comp.get("max_values"), lo=1, hi=10)
    elif ctype == RADIO_GROUP:
        # docs "Radio Group Structure": custom_id 1-100; options min 2, max 10;
        # option value/label/description max 100.
        ids.custom_id(errors, path, comp.get("custom_id"), required=True)
        options = errors.array(
            (*path, "options"), comp.get("options"), min_len=2, max_len=10, required=True
        )
        for i, raw in enumerate(options or []):
            _check_group_option(errors, (*path, "options", i), raw)
    elif ctype == CHECKBOX_GROUP:
        # docs "Checkbox Group Structure": custom_id 1-100; options min 1, max 10;
        # min_values 0-10; max_values 1-10.
        ids.custom_id(errors, path, comp.get("custom_id"), required=True)
        options = errors.array(
            (*path, "options"), comp.get("options"), min_len=1, max_len=10, required=True
        )
        for i, raw in enumerate(options or []):
            _check_group_option(errors, (*path, "options", i), raw)
        if errors.integer((*path, "min_values"), comp.get("min_values"), lo=0, hi=10):
            _check_required_min(errors, path, comp)
        errors.integer((*path, "max_values"), comp.get("max_values"), lo=1, hi=10)
    elif ctype == CHECKBOX:
        # docs "Checkbox Structure": custom_id 1-100.
        ids.custom_id(errors, path, comp.get("custom_id"), required=True)
    else:
        errors.add(
            (*path, "type"),
            "UNION_TYPE_CHOICES",
            'Value of field "type" must be one of (3, 4, 5, 6, 7, 8, 19, 21, 22, 23).',
        )


def validate_modal(payload: dict) -> dict | None:
    """Validate the ``data`` of a MODAL (type 9) interaction callback."""
    errors = _Errors()
    if not isinstance(payload, dict):
        errors.add((), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return errors.result()
    # docs receiving-and-responding "Modal": custom_id 1-100, title max 45,
    # "Between 1 and 5 (inclusive) components".
    errors.string(("custom_id",), payload.get("custom_id"), min_len=1, max_len=100, required=True)
    errors.string(("title",), payload.get("title"), min_len=1, max_len=45, required=True)
    comps = errors.array(
        ("components",), payload.get("components"), min_len=1, max_len=5, required=True
    )
    ids = _CustomIds()
    for i, raw in enumerate(comps or []):
        path: Path = ("components", i)
        comp = _obj(errors, path, raw)
        if comp is None:
            continue
        ids.numeric_id(errors, path, comp.get("id"))
        ctype = comp.get("type")
        if ctype == ACTION_ROW:
            _check_action_row(errors, path, comp, ids, in_modal=True)
        elif ctype == LABEL:
            # docs "Label Structure": label max 45, description max 100, one component.
            errors.string((*path, "label"), comp.get("label"), min_len=1, max_len=45, required=True)
            errors.string((*path, "description"), comp.get("description"), max_len=100)
            child = _obj(errors, (*path, "component"), comp.get("component"))
            if child is None:
                errors.add((*path, "component"), "BASE_TYPE_REQUIRED", "This field is required")
            else:
                _check_label_child(errors, (*path, "component"), child, ids)
        elif ctype == TEXT_DISPLAY:
            # docs "Component Types": Text Display is usable in modals.
            errors.string(
                (*path, "content"), comp.get("content"), min_len=1, max_len=4000, required=True
            )
        else:
            errors.add(
                (*path, "type"),
                "UNION_TYPE_CHOICES",
                'Value of field "type" must be one of (1, 10, 18).',
            )
    return errors.result()


# -------------------------------------------------------------------- autocomplete


def validate_autocomplete(payload: dict) -> dict | None:
    """Validate the ``data`` of an AUTOCOMPLETE_RESULT (type 8) callback."""
    errors = _Errors()
    if not isinstance(payload, dict):
        errors.add((), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return errors.result()
    # docs receiving-and-responding "Autocomplete": "autocomplete choices (max of 25
    # choices)"; choice structure as for command options (name 1-100, string value
    # up to 100).
    choices = errors.array(("choices",), payload.get("choices"), max_len=25, required=True)
    for i, raw in enumerate(choices or []):
        cpath: Path = ("choices", i)
        choice = _obj(errors, cpath, raw)
        if choice is None:
            continue
        errors.string((*cpath, "name"), choice.get("name"), min_len=1, max_len=100, required=True)
        locs = _obj(errors, (*cpath, "name_localizations"), choice.get("name_localizations"))
        for locale, text in (locs or {}).items():
            errors.string(
                (*cpath, "name_localizations", locale), text, min_len=1, max_len=100, required=True
            )
        value = choice.get("value")
        if value is None:
            errors.add((*cpath, "value"), "BASE_TYPE_REQUIRED", "This field is required")
        elif isinstance(value, str):
            errors.string((*cpath, "value"), value, max_len=100)
        elif isinstance(value, bool) or not isinstance(value, int | float):
            errors.add(
                (*cpath, "value"), "BASE_TYPE_STRING", "Could not interpret value as string."
            )
    return errors.result()
