#!/bin/sh
# Place a call to a running Seatmate from a second baresip softphone.
# See tests/softphone/README.md. All options go to call-seatmate.py.
exec /usr/bin/python3 "$(dirname "$0")/call-seatmate.py" "$@"
