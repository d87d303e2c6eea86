#!/bin/sh
# The browser tests (TAP), with playwright-core and axe-core from npm at
# the versions package-lock.json records, and Debian's Chromium.
set -eu
cd "$(dirname "$0")"
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ]; then
	npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi
# The journey, then the pages that must look right on a phone and on
# paper (look.js: the statistics chart, the printed link cards), then a
# school's roster uploaded, previewed, applied and printed (roster.js),
# then the leaders' page edited and read on a phone (leaders.js), then
# a parent's request to the school filed on a phone and answered by the
# administrator (appeal.js), then public chats on a phone and a desktop
# (public_chats.js), then a far-eastern school's events on its home page
# (events.js), then a person's files on a phone: uploads, a Cyrillic
# name downloaded, a PDF in Chromium's viewer (files.js), then a
# student's photo in the class chat on a phone, read by a classmate's
# parent (chat_files.js), then the school's materials: a teacher
# publishes a PDF and an article on a phone, a student reads them
# (materials.js), then the administrator allows videos from some sites
# and a video plays in its page on a phone (embed.js).
rc=0
node journey.js || rc=1
node look.js || rc=1
node roster.js || rc=1
node leaders.js || rc=1
node appeal.js || rc=1
node public_chats.js || rc=1
node events.js || rc=1
node files.js || rc=1
node chat_files.js || rc=1
node materials.js || rc=1
node embed.js || rc=1
exit $rc
