"""Where higher domains take part in registration's work (see `core.hooks`)."""

from sportsrun.core.hooks import Hook

# (race_id: int, registration_id: int), inside the write transaction, before a registrant cancels and
# their bib is freed. Results refuse (by raising) when a result uses the bib.
cancelling = Hook("cancelling")

# (race_id: int, registration_ids: list[int]) after a group's registrations are committed, in the group's
# order: where a confirmation message for each person goes (registration/groups.py).
group_registered = Hook("group_registered")

# (race_id: int, registration_id: int, fields: list[str]), after the commit of a change of a registration's
# fields (the registrant's by code, an organiser's by id; bibs go through the bib audit). Nobody connects
# yet: results, which keep a race's names, genders and age groups with its places, should follow a change.
changed = Hook("changed")
