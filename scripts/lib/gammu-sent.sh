#!/bin/sh
# Gammu SMSD's RunOnSent hook for the dummy phone, which keeps no copy of what
# it sends: writes each sent message as DIR/<outbox id>.txt (the number on the
# first line, the text after it), so that the messages can be seen as files.
# Usage (smsdrc): runonsent = /bin/sh .../gammu-sent.sh DIR; Gammu appends the id.
dir=$1
id=$2
printf '%s\n%s\n' "$SMS_1_NUMBER" "$SMS_1_TEXT" >"$dir/$id.txt.new" &&
	mv "$dir/$id.txt.new" "$dir/$id.txt"
