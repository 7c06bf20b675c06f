#!/usr/bin/env python3
"""Appends call lines to a log file at RATE lines/s until STOP_FILE exists; prints the number written."""
import datetime, os, sys, time

log, rate, stop = sys.argv[1], int(sys.argv[2]), sys.argv[3]
services = ["DPP", "RECIPE", "PCDH", "ASSURPHARMA", "RAOTD", "EFORMS"]
written = 0
tz = datetime.timezone(datetime.timedelta(hours=1))
while not os.path.exists(stop):
    now = datetime.datetime.now(tz)
    with open(log, "a") as f:
        for i in range(max(1, rate // 10)):
            f.write(f"{now.isoformat(timespec='milliseconds')} INFO [app1] call service={services[written % 6]} op=op{written % 2}"
                    f" pharmacy={100 + written % 7} vendor=V status=OK code=0 ms={10 + written % 90}\n")
            written += 1
    time.sleep(0.1)
print(written)
