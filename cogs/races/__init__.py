from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.races._cog import CandidateCog, RacesCog

if TYPE_CHECKING:
    from bot.client import EndorseBot


async def setup(bot: EndorseBot) -> None:
    await bot.add_cog(RacesCog(bot))
    await bot.add_cog(CandidateCog(bot))
