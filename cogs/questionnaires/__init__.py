from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.questionnaires._assess import attach
from cogs.questionnaires._cog import QuestionnaireCommands
from cogs.questionnaires._cycle import attach as attach_cycle
from cogs.questionnaires._flow import QuestionnaireCog

if TYPE_CHECKING:
    from bot.client import EndorseBot


async def setup(bot: EndorseBot) -> None:
    flow = QuestionnaireCog(bot)
    await bot.add_cog(flow)
    await bot.add_cog(QuestionnaireCommands(bot, flow))
    attach(bot)
    attach_cycle(bot)
