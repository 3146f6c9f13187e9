"""How results are shown: times published in whole seconds, rounded up, and paces per kilometre; the
statuses a runner without a finish time has. Pure functions."""

MS_PER_S = 1000
STATUSES = ("DNF", "DNS", "DQ")  # did not finish, did not start, disqualified: unranked
RESULT_STATUSES = ("finished", *STATUSES)


def published_seconds(ms: int) -> int:
    """Published in whole seconds, rounded up when there is any fraction (2:09:44.3 → 2:09:45)."""
    return -(-ms // MS_PER_S)


def format_time(ms: int | None) -> str | None:
    """`H:MM:SS`, hours not padded, whole seconds rounded up."""
    if ms is None:
        return None
    seconds = published_seconds(ms)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def format_pace(ms: int | None, distance_m: float) -> str | None:
    """`M:SS` per km from the published time."""
    if ms is None or distance_m <= 0:
        return None
    per_km = round(published_seconds(ms) / (distance_m / 1000))
    return f"{per_km // 60}:{per_km % 60:02d}"


def format_exact(ms: int | None) -> str | None:
    """`H:MM:SS` with the fraction the sheet gave (`0:40:11.3`): a time as it was read, before publishing."""
    if ms is None:
        return None
    seconds, fraction = divmod(ms, MS_PER_S)
    text = f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return f"{text}.{fraction:03d}".rstrip("0") if fraction else text


def zone_name(offset_minutes: int) -> str:
    """A race's time zone as people write it: `UTC+3`, `UTC+5:30`, `UTC-4`, `UTC`."""
    if not offset_minutes:
        return "UTC"
    hours, minutes = divmod(abs(offset_minutes), 60)
    sign = "+" if offset_minutes > 0 else "-"
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")
