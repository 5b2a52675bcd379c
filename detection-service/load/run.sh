#!/usr/bin/env bash
# Load run of detection-service on this machine: builds the service, then LoadDriver starts a real
# Kafka and PostgreSQL (test-infra), runs the packaged service against them and reports sustained
# events/s (HTTP ingest -> anomalies topic) and the p50/p99 ingest latency.
#   detection-service/load/run.sh [streams] [eventsPerStream] [batchSize] [clientThreads]
# The driver's classpath is the module's test classpath: taken from the last Surefire report when
# there is one (fast), else from maven-dependency-plugin.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/find-jdk.sh"
if [ "${SKIP_BUILD:-false}" != true ]; then
  mvn -B -ntp -q package -DskipTests -pl detection-service -am
fi
cd detection-service
REPORT=target/surefire-reports/TEST-dev.driftlock.detection.SmokeTest.xml
if [ -f "$REPORT" ]; then
  grep -o 'name="surefire.test.class.path" value="[^"]*"' "$REPORT" \
    | sed 's/^name="surefire.test.class.path" value="//; s/"$//' > target/load.classpath
else
  mvn -B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/load.classpath
  sed -i 's|^|target/test-classes:target/classes:|' target/load.classpath
fi
exec "$JAVA_HOME/bin/java" -Xmx384m -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -cp "$(cat target/load.classpath)" \
  dev.driftlock.detection.load.LoadDriver target/quarkus-app/quarkus-run.jar "$@"
