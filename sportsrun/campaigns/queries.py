"""Every query of the campaigns domain: its invitation lists (what it computes comes from the other
domains' services)."""

import datetime as dt

from sportsrun.campaigns.tables import Invitation

COLUMNS = ("position", "registration", "name", "gender", "province", "points", "reason", "made_at")


async def replace_invitations(campaign_id: int, rows: list[dict], user_id: int | None, at: dt.datetime) -> None:
    await Invitation.delete().where(Invitation.campaign == campaign_id)
    if rows:
        await Invitation.insert(*[Invitation(campaign=campaign_id, made_by=user_id, made_at=at, **row) for row in rows])


async def invitations(campaign_id: int) -> list[dict]:
    columns = [getattr(Invitation, c) for c in COLUMNS]
    return await Invitation.select(*columns).where(Invitation.campaign == campaign_id).order_by(Invitation.position)


async def invitations_made(campaign_id: int) -> str:
    """When the invitation list was last made ("" when there is none): what the public page is kept under."""
    row = await Invitation.select(Invitation.made_at).where(Invitation.campaign == campaign_id).first()
    return str(row["made_at"]) if row else ""
