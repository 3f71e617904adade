"""By-name extracts for programs: purpose-bound lists from the identity store joined to the
marts (profiles in extracts/profiles.yml), for authorised requesters only
(extracts/requesters.yml), written owner-only outside output/ and logged (audit.py)."""
