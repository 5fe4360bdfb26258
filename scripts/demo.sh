#!/usr/bin/env bash
# Build a workspace from the repository's claims/ and forecasts/ in a fresh folder and show the
# example track record: analyses of the war in Ukraine (late 2024 to 2025), their assessments as
# forecasts, two fictional forecasters, outcomes with dated evidence, and who was calibrated.
# examples/build.py is how those records were made; this script only reads them.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
demo="${DEMO_DIR:-$(mktemp -d)/forethought-demo}"
mkdir -p "$demo"
cd "$demo"
forethought init --as demo >/dev/null 2>&1
forethought import records "$repo"
compare="example:ines,example:bram,forethought example desk"

echo
echo "== Scoreboard by forecaster (example:ines and example:bram are fictional)"
forethought score
echo
echo "== Scoreboard by source (each analysis, with everyone's forecasts on its questions)"
forethought score --by source
echo
echo "== Calibration: how often things happened at each level of forecast (5 bins)"
forethought calibration --bins 5 --compare "$compare" --out calibration.png
echo
echo "== How often each estimative word came true, per outlet"
forethought words --by outlet --out words.png
echo
echo "== Questions past their resolve-by date without a resolution"
forethought due
echo
forethought verify
echo
echo "== Report and charts"
forethought report --out report
forethought chart history will-ukraine-and-the-united-states-sign-a-minerals --out history.png
forethought chart scores --by month --out scores.png
echo
echo "The demo workspace is in $demo"
echo "Open the report:  file://$demo/report/index.html (works offline; share the folder)"
echo "Charts:           $demo/calibration.png $demo/words.png $demo/history.png $demo/scores.png"
