# Sourced by the bench scripts from the project's root: builds what is missing and sets BENCH_CP,
# the benchmarks' class path (this module's jar, the aggregator's jar with everything it runs on,
# and the aggregator's test classes for the traffic draws the hog bench shares with its test).
tests_jar() { ls aggregator/target/callwatch-aggregator-*-tests.jar 2>/dev/null | head -n 1; }
if [ ! -f bench/target/callwatch-bench.jar ] || [ ! -f aggregator/target/callwatch-aggregator.jar ] || [ -z "$(tests_jar)" ]; then
  mvn -B -q package -DskipTests
fi
BENCH_CP="bench/target/callwatch-bench.jar:aggregator/target/callwatch-aggregator.jar:$(tests_jar)"
