"""Where higher domains take part in registration's work (see `core.hooks`)."""

from sportsrun.core.hooks import Hook

# (race_id: int, registration_id: int), inside the write transaction, before a registrant cancels and
# their bib is freed. Results refuse (by raising) when a result uses the bib.
cancelling = Hook("cancelling")

# (race_id: int, registration_ids: list[int]) after a group's registrations are committed, in the group's
# order: where a confirmation message for each person goes (registration/groups.py).
group_registered = Hook("group_registered")
