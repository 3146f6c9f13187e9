"""The demo's mini-football: a women's division and a mixed under-15 division with Arabic and Kurdish team
names, drawn, laid over two pitches, part of the scores entered, so a newcomer sees live tables at once.
Everything goes through the football services the pages and the API use."""

import datetime as dt
import random

from sportsrun.demo_names import city, named
from sportsrun.events.services import create_event
from sportsrun.football import bracket, rankings, schedule, scores, services, teams

IRAQ = dt.timezone(dt.timedelta(hours=3))
WOMEN_TEAMS = [("نسور بغداد", "IQ-BG"), ("لبوات البصرة", "IQ-BA"), ("ستێرکانی هەولێر", "IQ-AR"),
               ("شێرەکانی سلێمانی", "IQ-SU"), ("نجمات الموصل", "IQ-NI"), ("فراشات كربلاء", "IQ-KA"),
               ("هەڵۆکانی دهۆک", "IQ-DA"), ("زهرات النجف", "IQ-NA")]  # fmt: skip
YOUTH_TEAMS = [("أشبال السلام", "IQ-BG"), ("گوڵەکانی ئاشتی", "IQ-AR"), ("براعم الرافدين", "IQ-BA"),
               ("منتخب الأمل", "IQ-NI"), ("تیمی هیوا", "IQ-SU"), ("فتيان الغد", "IQ-KA")]  # fmt: skip


def _squad(rng: random.Random, size: int, names: tuple[list[str], list[str]], born: tuple[int, int]) -> list[dict]:
    given, family = names
    players, seen = [], set()
    while len(players) < size:
        person = (rng.choice(given), rng.choice(family))
        if person in seen:
            continue
        seen.add(person)
        birth = dt.date(rng.randint(*born), rng.randint(1, 12), rng.randint(1, 28))
        players.append({"given_name": person[0], "family_name": person[1], "birth_date": birth.isoformat(),
                        "shirt_number": len(players) + 1})  # fmt: skip
    return players


async def _division(event: dict, values: dict, entries: list, rng: random.Random, names, born, mixed=False) -> int:
    division = await services.create_division(event["id"], values)
    for n, (name, province) in enumerate(entries):
        players = _squad(rng, values["squad_min"] + rng.randint(0, 2), names, born)
        if mixed:
            for p in players:
                p["gender"] = rng.choice(("female", "male"))
        await teams.register(division["id"], {"name": name, "province": province, "captain_name": "كابتن " + name,
                                              "captain_phone": f"0770 400 {n:04d}", "guardian_consent": True,
                                              "players": players})  # fmt: skip
    return division["id"]


async def _play(division_id: int, kickoff: str, share: float, rng: random.Random, volunteer_id: int) -> None:
    played = await schedule.make_fixtures(division_id, {"pitches": 2, "first_kickoff": kickoff, "slot_minutes": 30})
    group = [m for m in played["matches"] if m["stage"] == "group"]
    for m in group[: round(len(group) * share)]:
        score = {"home_goals": rng.randint(0, 4), "away_goals": rng.randint(0, 3),
                 "home_cards": rng.choice((0, 0, 1)), "away_cards": rng.choice((0, 0, 0, 1, 2))}  # fmt: skip
        await scores.enter_score(m["id"], score, volunteer_id)


async def load_football(
    campaign_id: int, organiser_id: int, volunteer_id: int, given: dict, families: list[str]
) -> int:
    """The football event with its two divisions; returns the number of teams."""
    rng = random.Random(15)
    day = dt.date.today() + dt.timedelta(days=5)
    kickoff = dt.datetime.combine(day, dt.time(16, 0), IRAQ).isoformat()
    event = await create_event({**named("Mini-football for Coexistence"), "province": "IQ-BG", **city("Baghdad"),
                                "venue": "Al-Shaab Stadium training pitches", "date": day.isoformat(),
                                "campaign_id": campaign_id, "published": True,
                                "description": "Mini-football against violence: women's teams and under-15s from "
                                               "every community playing each other."})  # fmt: skip
    closes = dt.datetime.combine(day, dt.time(0, 0), IRAQ).isoformat()
    women = await _division(event, {**named("Women's cup"), "gender": "women", "squad_min": 5, "squad_max": 10,
                                    "max_teams": 8, "registration_closes_at": closes, "third_place_match": True},
                            WOMEN_TEAMS, rng, (given["women"], families), (1990, 2006))  # fmt: skip
    youth = await _division(event, {**named("Mixed under-15"), "gender": "mixed", "max_age": 14, "squad_min": 5,
                                    "squad_max": 8, "max_teams": 6, "registration_closes_at": closes},
                            YOUTH_TEAMS, rng, (given["women"] + given["men"], families),
                            (day.year - 14, day.year - 11), mixed=True)  # fmt: skip
    for division_id, groups in ((women, 2), (youth, 2)):
        await schedule.make_draw(division_id, {"groups": groups, "seed": 2026}, organiser_id)
    await _play(women, kickoff, 0.6, rng, volunteer_id)
    morning = dt.datetime.combine(day, dt.time(10, 0), IRAQ).isoformat()  # the pitches are the women's from 16:00
    await _play(youth, morning, 1.0, rng, volunteer_id)
    for group in ("A", "B"):  # teams level on every rule are ordered by lots, as the organiser would
        await rankings.draw_lots(youth, {"group": group, "seed": 7}, organiser_id)
    await bracket.make_bracket(youth)
    return len(WOMEN_TEAMS) + len(YOUTH_TEAMS)
