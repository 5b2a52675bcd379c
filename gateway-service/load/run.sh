#!/usr/bin/env bash
# Load run of gateway-service on this machine: builds the service, then GatewayLoad starts a real
# Kafka, PostgreSQL and Redis (test-infra), a minimal upstream and the packaged gateway as a separate
# process, and reports the latency the gateway ADDS (p50/p99 of the per-pair difference between the
# same request through the gateway and straight to the upstream) and requests/s through it.
#   gateway-service/load/run.sh [pairs=4000] [throughputRequests=8000] [concurrency=8]
# SKIP_BUILD=true reuses the last build (the build takes 1-2 minutes, the run itself about 40 s).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/find-jdk.sh"
# The driver's classpath is the module's test classpath, written by the same Maven run that builds
# (reactor siblings resolve to their freshly packaged jars; nothing is installed).
if [ "${SKIP_BUILD:-false}" != true ] || [ ! -f gateway-service/target/load.classpath ]; then
  mvn -B -ntp -q package -DskipTests -pl gateway-service -am \
    dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/load.classpath
fi
cd gateway-service
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
"$JAVA_HOME/bin/java" -Xmx384m -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -cp "target/test-classes:target/classes:$(cat target/load.classpath)" \
  dev.driftlock.gateway.load.GatewayLoad target/quarkus-app/quarkus-run.jar "$@" || status=$?
echo "load average after the run:  $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
