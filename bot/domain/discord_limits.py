"""Discord's size limits, written once: every embed, message, choice and modal is cut to these.

Numbers only, no discord import, so the domain (a questionnaire's labels, a ballot's pages)
and the cogs (embeds, autocomplete) share them. From Discord's API reference: embed limits,
message content, application command choices, select menus, modals and text inputs.
"""

from __future__ import annotations

MESSAGE_CONTENT = 2000  # characters in a message's text

EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25  # fields in one embed
EMBED_FIELD_NAME = 256
EMBED_FIELD_VALUE = 1024

COMMAND_DESCRIPTION = 100  # a slash command's or option's description
CHOICES = 25  # autocomplete answers to one keystroke
CHOICE_NAME = 100  # an autocomplete choice's name

SELECT_OPTIONS = 25  # options in one select menu
SELECT_OPTION_LABEL = 100
SELECT_OPTION_VALUE = 100
SELECT_OPTION_DESCRIPTION = 100

MODAL_TITLE = 45
MODAL_COMPONENTS = 5  # questions on one modal page
MODAL_LABEL = 45  # a question's label
MODAL_LABEL_DESCRIPTION = 100  # the hint under it
TEXT_INPUT_VALUE = 4000  # what a member can type into one text input

CUSTOM_ID = 100  # a component's custom_id
