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

    /**
     * CPU time so far of this JVM's threads by kind, nanoseconds: Java threads by name (digits folded, so a
     * pool is one line), the JVM's own (JIT compilers, GC, VM thread) from /proc by their short name.
     */
    static java.util.Map<String, Long> threadCpuNanos() {
        java.util.Map<String, Long> byKind = new java.util.TreeMap<>();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                String kind = info.getThreadName().replaceAll("[0-9]+", "#").replaceAll("-file-.*", "");
                byKind.merge(kind, Math.max(cpu, 0), Long::sum);
                byKind.merge(kind + " (user)", Math.max(threads.getThreadUserTime(info.getThreadId()), 0), Long::sum);
            }
        }
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        for (java.io.File task : tasks == null ? new java.io.File[0] : tasks) {
            try {
                String comm = java.nio.file.Files.readString(task.toPath().resolve("comm")).trim();
                if (comm.startsWith("C1 ") || comm.startsWith("C2 ") || comm.startsWith("GC ") || comm.startsWith("VM ")
                        || comm.startsWith("G1 ")) {
                    long ns = Long.parseLong(java.nio.file.Files.readString(task.toPath().resolve("schedstat")).split(" ")[0]);
                    byKind.merge("[jvm] " + comm.replaceAll("[0-9#]+$", ""), ns, Long::sum);
                }
            } catch (java.io.IOException | RuntimeException gone) {
                // a thread that ended meanwhile
            }
        }
        return byKind;
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
