"""export ics: the resolve-by dates of open questions as valid iCalendar events."""

from __future__ import annotations

from datetime import date

import icalendar


def test_open_questions_become_all_day_events(run, tmp_path):
    long_title = "Will the Ελληνικό parliament, after long debate; pass the “reform” bill " * 2
    for args in (["Will it rain?", "--by", "2030-05-01", "--id", "rain", "--tag", "weather"],
                 [long_title.strip(), "--by", "2030-06-01", "--id", "reform",
                  "--criteria", "Line one,\nline two; with a backslash \\ too"],
                 ["Already known?", "--by", "2030-07-01", "--id", "known"]):
        assert run("ask", *args).exit_code == 0
    assert run("resolve", "known", "yes").exit_code == 0
    out = tmp_path / "due.ics"
    result = run("export", "ics", "--out", str(out))
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(raw)
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    assert [str(e["UID"]) for e in events] == ["rain@forethought", "reform@forethought"]
    rain, reform = events
    assert rain["DTSTART"].dt == date(2030, 5, 1) and rain["DTEND"].dt == date(2030, 5, 2)
    assert str(rain["SUMMARY"]) == "Resolve: Will it rain?"
    assert str(reform["SUMMARY"]) == "Resolve: " + long_title.strip()
    assert str(reform["DESCRIPTION"]).startswith("Line one,\nline two; with a backslash \\ too")
    assert ("forethought resolve reform OUTCOME, where OUTCOME is one of: yes, no, ambiguous, "
            "annulled") in str(reform["DESCRIPTION"])
    again = tmp_path / "again.ics"
    run("export", "ics", "--out", str(again))
    assert again.read_bytes() == raw
