"""Where higher domains take part in events' work (see `core.hooks`). Each hook says who is expected
to connect and what a receiver gets."""

from sportsrun.core.hooks import Hook

# (current: RaceRow, proposed: dict of read_race's values), inside the race's write transaction, before
# the change is written. A receiver refuses the change by raising (registration: a held bib would fall
# outside the range or be reserved; the capacity would fall below the confirmed runners).
race_changing = Hook("race_changing")

# (before: RaceRow | None, after: RaceRow, user_id: int | None), inside the same transaction, once the
# race is written (before is None for a new race). Registration records reserved bibs in the bib audit
# and fills new places from the waitlist.
race_changed = Hook("race_changed")

# (race_id: int | None), after the commit: what the public sees of a race (or, with None, of any race)
# changed: its name, date, status. Results forget what they cached.
shown_changed = Hook("shown_changed")

# (race_ids: list[int]) → {race_id: {status: count}}: registration counts a race's registrations.
race_counts = Hook("race_counts")

# (race_ids: list[int]) → {race_id: {gender: [podium rows]}}: results give the event page its podiums.
podiums = Hook("podiums")

# (event_ids: list[int]) → {event_id: [division briefs]}: football lists an event's divisions beside its races.
event_divisions = Hook("event_divisions")

# () → [campaign summaries]: campaigns give the home page each latest campaign's name, hashtag and headline
# figures ({"id", "name", "hashtag", "figures": [(label, value)]}), in the visitor's language.
home_campaigns = Hook("home_campaigns")
