"""The public football pages: a division (teams, groups and live tables, fixtures, bracket, fair play), a
team, the printable schedule and the correction log. Served from the per-version cache like results."""

from litestar import Controller, Request, Response, get
from litestar.enums import MediaType

from sportsrun.core.i18n import current_locale
from sportsrun.core.web.params import PathId
from sportsrun.core.web.templating import is_htmx, render, render_text
from sportsrun.events.provinces import province_names
from sportsrun.events.services import event_brief
from sportsrun.football import bracket, matches, rankings, scores, services, teams
from sportsrun.football.state import cached

POLL_SECONDS = 20


async def division_view(division_id: int) -> dict:
    """Everything the division page shows, public data only."""
    division = await services.get_division(division_id)
    listed = (await matches.division_matches(division_id))["matches"]
    by_pitch: dict[int, list[dict]] = {}
    for m in listed:
        if m["status"] != "bye":
            by_pitch.setdefault(m["pitch"], []).append(m)
    return {
        "division": division,
        "standings": (await rankings.standings(division_id))["groups"],
        "matches": listed,
        "group_matches": [m for m in listed if m["stage"] == "group"],
        "by_pitch": dict(sorted(by_pitch.items())),
        "bracket": await bracket.bracket(division_id),
        "fair_play": await rankings.division_fair_play(division_id),
        "province_names": await province_names(),
        "live": division["stage"] in ("groups", "knockout"),
        "poll_seconds": POLL_SECONDS,
    }


class FootballPages(Controller):
    include_in_schema = False

    @get("/divisions/{division_id:int}")
    async def division(self, request: Request, division_id: PathId) -> Response:
        fragment = is_htmx(request)

        async def build() -> bytes:
            view = await division_view(division_id)
            return render_text(request, "football/division.html", block="live" if fragment else None, shared=True,
                               **view).encode()  # fmt: skip

        return await cached(request, division_id, ("division", current_locale.get(), fragment), build, MediaType.HTML)

    @get("/divisions/{division_id:int}/schedule")
    async def schedule(self, request: Request, division_id: PathId) -> Response:
        """The printable A4 schedule: a page per pitch, then every team's matches."""

        async def build() -> bytes:
            view = await division_view(division_id)
            by_team: dict[int, list[dict]] = {}
            for m in view["matches"]:
                for side in ("home_team_id", "away_team_id"):
                    if m[side] is not None:
                        by_team.setdefault(m[side], []).append(m)
            named = sorted((t["name"], by_team.get(t["id"], [])) for t in view["division"]["teams"]
                            if t["status"] == "registered")  # fmt: skip
            return render_text(request, "football/schedule.html", shared=True, by_team=named, **view).encode()

        return await cached(request, division_id, ("schedule", current_locale.get()), build, MediaType.HTML)

    @get("/divisions/{division_id:int}/corrections")
    async def corrections(self, request: Request, division_id: PathId) -> Response:
        async def build() -> bytes:
            division = await services.get_division(division_id)
            names = await matches.team_names(division_id)
            listed = {m["id"]: m for m in (await matches.division_matches(division_id))["matches"]}
            return render_text(request, "football/corrections.html", shared=True, division=division, names=names,
                               matches=listed, corrections=await scores.corrections(division_id)).encode()  # fmt: skip

        return await cached(request, division_id, ("corrections", current_locale.get()), build, MediaType.HTML)

    @get("/events/{event_id:int}/fair-play")
    async def event_fair_play(self, request: Request, event_id: PathId) -> Response:
        """Every team of the event by cards per match: read at once, across the event's divisions."""
        event = await event_brief(event_id)
        rows = await rankings.event_fair_play(event_id)
        return render(request, "football/event_fair_play.html", event=event, rows=rows,
                      divisions={r["team_id"]: r["division"] for r in rows})  # fmt: skip

    @get("/teams/{team_id:int}")
    async def team(self, request: Request, team_id: PathId) -> Response:
        team, division = await teams.public_team(team_id)

        async def build() -> bytes:
            played = await matches.team_matches(team_id, division["id"])
            return render_text(request, "football/team.html", shared=True, team=team, division=division,
                               matches=played, province_names=await province_names()).encode()  # fmt: skip

        return await cached(request, division["id"], ("team", current_locale.get(), team_id), build, MediaType.HTML)
