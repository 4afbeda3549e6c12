package io.ticgateway.bench;

import java.io.IOException;

/**
 * CPU pinning of a benchmark (Linux {@code taskset}): this JVM on one core, the peers it started (InfluxDB,
 * Mosquitto, Kafka: its child processes) on another, so that the figures are one core's.
 */
final class Pinning {

    private Pinning() {
    }

    /** Pins every thread of this JVM to {@code ownCore} and every descendant process to {@code peersCore}. */
    static void pin(int ownCore, int peersCore) throws IOException, InterruptedException {
        ProcessHandle.current().descendants().forEach(p -> taskset(peersCore, p.pid()));
        taskset(ownCore, ProcessHandle.current().pid());
    }

    /** The process's CPU time so far (every thread: the sinks', GC, JIT), nanoseconds. */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The CPU time so far of the processes this JVM started (the peers), nanoseconds. */
    static long peersCpuNanos() {
        return ProcessHandle.current().descendants().mapToLong(p -> p.info().totalCpuDuration()
                .map(java.time.Duration::toNanos).orElse(0L)).sum();
    }

    private static void taskset(int core, long pid) {
        try {
            Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", String.valueOf(core), String.valueOf(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("taskset failed for pid " + pid);
            }
        } catch (IOException e) {
            throw new IllegalStateException("taskset is needed to pin the benchmark: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
