from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.officials._cog import OfficialsCog
from cogs.officials._result import attach

if TYPE_CHECKING:
    from bot.client import EndorseBot


async def setup(bot: EndorseBot) -> None:
    await bot.add_cog(OfficialsCog(bot))
    attach(bot)
