#!/usr/bin/env bash
# Warm render throughput with JMH (benchmarks/RenderBenchmark): the example bundle with N Data Manager
# namespaces (default 300 = 906 objects), one thread. Builds the `jmh` profile only (never part of the normal
# build or CI). Usage: scripts/bench-render-jmh.sh [NAMESPACES] [extra JMH options, e.g. -f 1 -wi 3 -i 3]
# The line to read: RenderBenchmark.desired:objects (objects/s, environment file -> desired objects) and
# RenderBenchmark.yaml:objects (the same plus the render command's YAML output).
set -euo pipefail
home="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
n="${1:-300}"; shift || true
# one reactor build: the reconciler jar, the benchmarks (JMH's annotation processor), each module's classpath
mvn -q -B -f "$home/pom.xml" -Pjmh -pl benchmarks -am -Dmaven.test.skip=true package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt >&2
java -Ddmr.home="$home" -cp "$home/benchmarks/target/classes:$(cat "$home/benchmarks/target/classpath.txt")" \
  org.openjdk.jmh.Main RenderBenchmark \
  -p namespaces="$n" -jvmArgsPrepend "-Ddmr.home=$home" "$@"
