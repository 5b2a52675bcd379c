#!/usr/bin/env bash
# CBAD quality harness v2 (independent generator): generates labelled streams, runs the CLI jar on
# them and on the public data of ../shared/data (when present), prints Markdown tables per dataset
# and per anomaly class at each sensitivity, and checks output row count == input row count.
#
#   scripts/quality.sh [--out DIR] [--events N] [--seed S | --seeds 1,2,3] [--sensitivities 0.25,0.5,0.75]
#                      [--datasets payments,api,metrics,text,numeric] [--data DIR]
#
# Defaults: a new temp dir, 8000 records per event stream, seed 1, sensitivities 0.25,0.5,0.75,
# data dir $DRIFTLOCK_SHARED_DATA or ../shared/data next to the repository (skipped if absent).
# The public data is read in place, never copied into the repository.
# Exit status: 0, or 1 when an output's row count differs from its input's.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/find-jdk.sh"
JAR="$ROOT/cbad/target/driftlock-cbad-cli.jar"
CLASSES="$ROOT/cbad/target/test-classes/dev/driftlock/cbad/harness2/QualityRunner.class"
if [ ! -f "$JAR" ] || [ ! -f "$CLASSES" ] \
    || [ -n "$(find cbad/pom.xml cbad/src -newer "$JAR" -type f -print -quit 2>/dev/null)" ]; then
  echo "building cbad (mvn -B -ntp -o -pl cbad package -DskipTests) ..." >&2
  # offline first (the usual case here); online when the local repository lacks something
  mvn -B -ntp -o -q -pl cbad package -DskipTests >&2 || mvn -B -ntp -q -pl cbad package -DskipTests >&2
fi
DATA="${DRIFTLOCK_SHARED_DATA:-$ROOT/../shared/data}"
args=(--jar "$JAR")
[ -d "$DATA" ] && args+=(--data "$DATA")
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx512m \
  -cp "$ROOT/cbad/target/test-classes:$JAR" dev.driftlock.cbad.harness2.QualityRunner "${args[@]}" "$@"
