#!/bin/sh
# Runs the browser tests (they need Debian's chromium) and copies their screenshots into
# docs/screenshots/, where the README shows them.
set -eu
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests
(cd aggregator && mvn -B -q test -Dtest='WallboardBrowserTest,GraphBrowserTest,DetectionBrowserTest' -Dsurefire.failIfNoSpecifiedTests=false)
mkdir -p docs/screenshots
for f in graph.png graph-week.png graph-month-gap.png wallboard.png graph-image.png phone-graph.png wallboard-stall.png wallboard-popup.png; do
  cp "aggregator/target/screenshots/$f" "docs/screenshots/$f"
done
echo "docs/screenshots updated"
