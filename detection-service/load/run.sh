#!/usr/bin/env bash
# Load run of detection-service on this machine: builds the service, then LoadDriver starts a real
# Kafka and PostgreSQL (test-infra), runs the packaged service against them and reports sustained
# events/s (HTTP ingest -> anomalies topic) and the p50/p99 ingest latency.
#   detection-service/load/run.sh [streams] [eventsPerStream] [batchSize] [clientThreads]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/find-jdk.sh"
mvn -B -ntp -q package -DskipTests -pl detection-service -am
cd detection-service
mvn -B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/load.classpath
CP="target/test-classes:target/classes:$(cat target/load.classpath)"
exec "$JAVA_HOME/bin/java" -Xmx384m -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -cp "$CP" \
  dev.driftlock.detection.load.LoadDriver target/quarkus-app/quarkus-run.jar "$@"
