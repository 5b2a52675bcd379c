#!/usr/bin/env bash
# Load run of gateway-service on this machine: builds the service, then GatewayLoad starts a real
# Kafka, PostgreSQL and Redis (test-infra), a minimal upstream and the packaged gateway as a separate
# process, and reports the latency the gateway ADDS (p50/p99 of the per-pair difference between the
# same request through the gateway and straight to the upstream) and requests/s through it.
#   gateway-service/load/run.sh [pairs=4000] [throughputRequests=8000] [concurrency=8]
# SKIP_BUILD=true reuses the last build. Takes about a minute on an idle 2-core machine.
# The driver's classpath is the module's test classpath: taken from the last Surefire report when
# there is one (fast), else from maven-dependency-plugin.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/find-jdk.sh"
if [ "${SKIP_BUILD:-false}" != true ]; then
  mvn -B -ntp -q test-compile package -DskipTests -pl gateway-service -am
fi
cd gateway-service
REPORT=target/surefire-reports/TEST-dev.driftlock.gateway.SmokeTest.xml
if [ -f "$REPORT" ]; then
  grep -o 'name="surefire.test.class.path" value="[^"]*"' "$REPORT" \
    | sed 's/^name="surefire.test.class.path" value="//; s/"$//' > target/load.classpath
else
  mvn -B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/load.classpath
  sed -i 's|^|target/test-classes:target/classes:|' target/load.classpath
fi
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
"$JAVA_HOME/bin/java" -Xmx384m -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -cp "$(cat target/load.classpath)" \
  dev.driftlock.gateway.load.GatewayLoad target/quarkus-app/quarkus-run.jar "$@" || status=$?
echo "load average after the run:  $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
