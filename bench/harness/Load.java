import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Measurement (role: measurement): the closed loop (each connection sends its next call when the last one answered),
 * the open loop (calls due at fixed times, latency measured from the due time), the warm-up, and each phase's summary:
 * percentiles, calls/s, errors, CPU time per call of each process and Redis commands per call.
 */
final class Load {

    static final class Latencies {
        long[] values = new long[1 << 14];
        int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }
    }

    static void warmUp(Sys s, double secs) throws Exception {
        if (secs <= 0) {
            return;
        }
        List<Op> ops = new ArrayList<>(s.workloads.values());
        Op mixed = (c, seq) -> ops.get((int) (seq % ops.size())).run(c, seq);
        System.out.printf(Locale.ROOT, "bench: warming up %s for %.0f s%n", s.id, secs);
        closed(s, "warm-up", mixed, 16, secs, 0, false);
        Harness.PHASES.remove(Harness.PHASES.size() - 1);
    }

    /**
     * Warms a system with {@code op} at 16 connections in rounds of 3 s until its JIT has settled: a round in which the
     * JIT compiler threads took under 2 % of the process's CPU, and cost the same CPU per call as the round before
     * within 5 % (at most {@code maxSeconds}); the seconds it took. Two equal rounds alone are not enough: with many
     * tools the compiler works on for a minute and more while the cost per call sits on a plateau.
     */
    static double untilSettled(Sys s, Op op, double maxSeconds) throws Exception {
        long started = System.nanoTime();
        Double last = null;
        while ((System.nanoTime() - started) / 1e9 < maxSeconds) {
            long compilerBefore = Procs.compilerTicks(s.main.pid);
            long processBefore = s.main.cpuTicks();
            Map<String, Object> round = closed(s, "warm-up", op, 16, 3, 0, false);
            Harness.PHASES.remove(Harness.PHASES.size() - 1);
            double compilerShare = (Procs.compilerTicks(s.main.pid) - compilerBefore)
                    / (double) Math.max(1, s.main.cpuTicks() - processBefore);
            double cpu = ((Number) ((Map<?, ?>) round.get("cpuMicrosPerCall")).get(s.main.name)).doubleValue();
            if (last != null && Math.abs(cpu / last - 1) <= 0.05 && compilerShare < 0.02) {
                break;
            }
            last = cpu;
        }
        double took = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "bench: %s settled after %.0f s of warm-up%n", s.id, took);
        return took;
    }

    /** Closed loop: {@code connections} workers, each sending its next call when the last one answered. */
    static Map<String, Object> closed(Sys s, String workload, Op op, int connections, double secs, long maxCalls, boolean sampleRss)
            throws Exception {
        List<Http> conns = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            conns.add(Mcp.connect(s));
        }
        AtomicLong next = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        ConcurrentLinkedQueue<String> messages = new ConcurrentLinkedQueue<>();
        Latencies[] latencies = new Latencies[connections];
        CountDownLatch go = new CountDownLatch(1);
        long[] deadline = new long[1];
        Thread[] threads = new Thread[connections];
        for (int i = 0; i < connections; i++) {
            int k = i;
            latencies[k] = new Latencies();
            threads[k] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                while (true) {
                    long n = next.getAndIncrement();
                    if (maxCalls > 0 ? n >= maxCalls : System.nanoTime() >= deadline[0]) {
                        break;
                    }
                    long t = System.nanoTime();
                    String error = callOn(s, op, workload, conns, k, n);
                    latencies[k].add(System.nanoTime() - t);
                    record(error, errors, messages);
                }
            }, "closed-" + k);
            threads[k].start();
        }
        Snapshot before = Snapshot.take(s);
        long t0 = System.nanoTime();
        deadline[0] = t0 + (long) (secs * 1e9);
        go.countDown();
        long rssMax = 0;
        if (sampleRss) {
            while (alive(threads)) {
                rssMax = Math.max(rssMax, s.main.rssKb());
                Thread.sleep(200);
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        long t1 = System.nanoTime();
        Snapshot after = Snapshot.take(s);
        conns.forEach(c -> Mcp.disconnect(s, c));
        Map<String, Object> phase = summary(s, workload, "closed", connections, latencies, errors.get(), messages, t1 - t0, before, after);
        if (sampleRss) {
            phase.put("rssMaxKb", rssMax);
        }
        return phase;
    }

    /**
     * Open loop: call i is due at start + i / rate, whatever happened to the calls before it; its latency is measured from
     * that due time, so a stall counts against every call it delays (no coordinated omission).
     */
    static Map<String, Object> open(Sys s, String workload, Op op, int rate, double secs, int connections) throws Exception {
        List<Http> conns = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            conns.add(Mcp.connect(s));
        }
        long total = (long) (rate * secs);
        double interval = 1e9 / rate;
        AtomicLong next = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        ConcurrentLinkedQueue<String> messages = new ConcurrentLinkedQueue<>();
        Latencies[] latencies = new Latencies[connections];
        long start = System.nanoTime() + 100_000_000L;
        long hardEnd = start + (long) (secs * 1e9) + 20_000_000_000L;
        Thread[] threads = new Thread[connections];
        Snapshot before = Snapshot.take(s);
        for (int i = 0; i < connections; i++) {
            int k = i;
            latencies[k] = new Latencies();
            threads[k] = new Thread(() -> {
                while (true) {
                    long n = next.getAndIncrement();
                    if (n >= total) {
                        break;
                    }
                    long due = start + (long) (n * interval);
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    if (System.nanoTime() > hardEnd) {
                        latencies[k].add(System.nanoTime() - due);
                        errors.incrementAndGet();
                        if (messages.size() < 5) {
                            messages.add(workload + ": not sent within 20 s of the phase's end");
                        }
                        continue;
                    }
                    String error = callOn(s, op, workload, conns, k, n);
                    latencies[k].add(System.nanoTime() - due);
                    record(error, errors, messages);
                }
            }, "open-" + k);
            threads[k].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long t1 = System.nanoTime();
        Snapshot after = Snapshot.take(s);
        conns.forEach(c -> Mcp.disconnect(s, c));
        Map<String, Object> phase = summary(s, workload, "open", rate, latencies, errors.get(), messages, t1 - start, before, after);
        phase.put("offeredPerSecond", rate);
        return phase;
    }

    /** One call on connection {@code k}; a call that fails to reach the system reconnects it. The error, or null. */
    static String callOn(Sys s, Op op, String workload, List<Http> conns, int k, long n) {
        Http c = conns.get(k);
        try {
            return op.run(c, n);
        } catch (Exception e) {
            c.close();
            try {
                conns.set(k, Mcp.connect(s));
            } catch (IOException again) {
                LockSupport.parkNanos(100_000_000L);
            }
            return workload + ": " + e;
        }
    }

    /** Counts a wrong answer and keeps the first few for the report. */
    static void record(String error, AtomicLong errors, ConcurrentLinkedQueue<String> messages) {
        if (error != null) {
            errors.incrementAndGet();
            if (messages.size() < 5) {
                messages.add(error);
            }
        }
    }

    static boolean alive(Thread[] threads) {
        for (Thread t : threads) {
            if (t.isAlive()) {
                return true;
            }
        }
        return false;
    }

    /** CPU ticks of each process of a system (and of the harness), and the Redis command count, at one instant. */
    record Snapshot(Map<String, Long> ticks, Map<String, Long> redis) {
        static Snapshot take(Sys s) {
            Map<String, Long> ticks = new LinkedHashMap<>();
            for (Procs.Proc p : s.cpu) {
                ticks.put(p.name, p.cpuTicks());
            }
            ticks.put("harness", Procs.cpuTicks(ProcessHandle.current().pid()));
            return new Snapshot(ticks, s.redisPort > 0 ? Procs.redisCommandStats(s.redisPort) : Map.of());
        }
    }

    static Map<String, Object> summary(Sys s, String workload, String mode, int level, Latencies[] latencies, long errors,
            ConcurrentLinkedQueue<String> messages, long nanos, Snapshot before, Snapshot after) {
        int n = 0;
        for (Latencies l : latencies) {
            n += l.size;
        }
        long[] all = new long[n];
        int at = 0;
        for (Latencies l : latencies) {
            System.arraycopy(l.values, 0, all, at, l.size);
            at += l.size;
        }
        Arrays.sort(all);
        Map<String, Object> phase = new LinkedHashMap<>();
        phase.put("system", s.id);
        phase.put("workload", workload);
        phase.put("mode", mode);
        phase.put(mode.equals("open") ? "rate" : "connections", level);
        phase.put("calls", n);
        phase.put("errors", errors);
        phase.put("seconds", nanos / 1e9);
        phase.put("callsPerSecond", n / (nanos / 1e9));
        phase.put("p50Ms", percentile(all, 50));
        phase.put("p99Ms", percentile(all, 99));
        phase.put("p999Ms", percentile(all, 99.9));
        phase.put("maxMs", n == 0 ? 0.0 : all[n - 1] / 1e6);
        Map<String, Object> cpu = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : after.ticks().entrySet()) {
            long delta = e.getValue() - before.ticks().getOrDefault(e.getKey(), e.getValue());
            cpu.put(e.getKey(), n == 0 ? 0.0 : delta * 10_000.0 / n); // 100 ticks per second: 10,000 µs a tick
        }
        phase.put("cpuMicrosPerCall", cpu);
        if (!after.redis().isEmpty() && n > 0) {
            long total = 0;
            Map<String, Object> byCommand = new LinkedHashMap<>();
            for (Map.Entry<String, Long> e : after.redis().entrySet()) {
                long delta = e.getValue() - before.redis().getOrDefault(e.getKey(), 0L);
                if (delta > 0) {
                    total += delta;
                    byCommand.put(e.getKey(), delta / (double) n);
                }
            }
            phase.put("redisCommandsPerCall", total / (double) n);
            phase.put("redisCommandsPerCallByName", byCommand);
        }
        phase.put("firstErrors", new ArrayList<>(messages));
        Harness.PHASES.add(phase);
        if (errors > 0 && !workload.equals("warm-up")) {
            Harness.FAILURES.add(s.id + " " + workload + " " + mode + " " + level + ": " + errors + " of " + n + " wrong; first: " + messages.peek());
        }
        System.out.printf(Locale.ROOT, "bench: %-18s %-22s %-6s %5d  %8.0f calls/s  p50 %7.2f ms  p99 %7.2f ms  errors %d%n", s.id, workload,
                mode, level, n / (nanos / 1e9), percentile(all, 50), percentile(all, 99), errors);
        return phase;
    }

    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    private Load() {
    }
}
