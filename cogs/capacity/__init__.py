from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.capacity._cog import CapacityCog

if TYPE_CHECKING:
    from bot.client import EndorseBot


async def setup(bot: EndorseBot) -> None:
    await bot.add_cog(CapacityCog(bot))
