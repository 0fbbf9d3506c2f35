from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.support._cog import SupportCog

if TYPE_CHECKING:
    from bot.client import EndorseBot


async def setup(bot: EndorseBot) -> None:
    await bot.add_cog(SupportCog(bot))
