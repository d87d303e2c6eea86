#!/usr/bin/python3
# Read an iCalendar file back with python3-icalendar (not the library
# that wrote it, libical): one line per event, "SUMMARY|DTSTART in
# UTC|STATUS", for tests/http/test_events.c.  A file it cannot parse, or
# an event without a time zone on its start, fails.
import datetime
import sys

import icalendar

with open(sys.argv[1], "rb") as f:
    cal = icalendar.Calendar.from_ical(f.read())
for e in cal.walk("VEVENT"):
    start = e.decoded("DTSTART")
    if start.tzinfo is None:
        sys.exit("floating DTSTART in " + str(e.get("UID")))
    start = start.astimezone(datetime.timezone.utc)
    print("%s|%s|%s" % (e.get("SUMMARY"),
        start.strftime("%Y-%m-%dT%H:%MZ"), e.get("STATUS")))
