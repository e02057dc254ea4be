package dev.meshdeck.console.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Time some CPUs of this machine counted in {@code /proc/stat}, in clock ticks: all of it, and the part the
 * hypervisor ran something else while these (virtual) CPUs had work ({@code steal}, top's "st"). On a shared
 * virtual machine steal comes and goes by the minute, and a request whose proxy is not running waits for it: the
 * benchmark reports each path's steal beside its latency.
 *
 * @param steal ticks stolen
 * @param total ticks of every kind (user, nice, system, idle, iowait, irq, softirq, steal)
 */
public record CpuTicks(long steal, long total) {
    public static final CpuTicks NONE = new CpuTicks(0, 0);

    private static final Path PROC_STAT = Path.of("/proc/stat");
    /** user, nice, system, idle, iowait, irq, softirq, steal; guest time is already in user and nice. */
    private static final int COUNTED_FIELDS = 8;
    private static final int STEAL_FIELD = 7;

    public CpuTicks {
        if (steal < 0 || total < 0 || steal > total) {
            throw new IllegalArgumentException("steal " + steal + " of " + total + " ticks");
        }
    }

    /** What was counted between {@code earlier} and this reading. */
    public CpuTicks since(CpuTicks earlier) {
        return new CpuTicks(steal - earlier.steal, total - earlier.total);
    }

    public CpuTicks plus(CpuTicks more) {
        return new CpuTicks(steal + more.steal, total + more.total);
    }

    /** Steal as a share of all the time counted (0.05 = 5 %); empty when nothing was counted. */
    public Optional<Double> stealShare() {
        return total == 0 ? Optional.empty() : Optional.of(steal / (double) total);
    }

    /** The ticks of {@code cpus} now (empty set: every CPU), or empty where {@code /proc/stat} cannot be read. */
    public static Optional<CpuTicks> read(Set<Integer> cpus) {
        try {
            return Optional.of(parse(Files.readString(PROC_STAT), cpus));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The ticks of {@code cpus} (empty set: the summary line of every CPU) in the text of {@code /proc/stat}.
     *
     * @throws IllegalArgumentException a CPU asked for is not in the text, or a line is not numbers
     */
    public static CpuTicks parse(String procStat, Set<Integer> cpus) {
        Set<Integer> missing = new TreeSet<>(cpus);
        CpuTicks sum = NONE;
        for (String line : procStat.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 1 + COUNTED_FIELDS || !fields[0].startsWith("cpu")) {
                continue;
            }
            String id = fields[0].substring(3);
            boolean wanted = cpus.isEmpty() ? id.isEmpty() : !id.isEmpty() && missing.remove(Integer.parseInt(id));
            if (wanted) {
                long total = 0;
                for (int i = 1; i <= COUNTED_FIELDS; i++) {
                    total += Long.parseLong(fields[i]);
                }
                sum = sum.plus(new CpuTicks(Long.parseLong(fields[1 + STEAL_FIELD]), total));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("/proc/stat has no line for CPUs " + missing);
        }
        if (cpus.isEmpty() && sum.total == 0) {
            throw new IllegalArgumentException("/proc/stat has no summary line (cpu)");
        }
        return sum;
    }

    /** The CPUs of a {@code taskset -c} list such as {@code 0}, {@code 0-1,3}; the empty list is the empty set. */
    public static Set<Integer> cpuList(String list) {
        Set<Integer> cpus = new TreeSet<>();
        if (list.isBlank()) {
            return cpus;
        }
        for (String part : list.split(",")) {
            String[] range = part.trim().split("-", -1);
            try {
                int from = Integer.parseInt(range[0]);
                int to = range.length == 2 ? Integer.parseInt(range[1]) : from;
                if (range.length > 2 || to < from) {
                    throw new NumberFormatException();
                }
                for (int cpu = from; cpu <= to; cpu++) {
                    cpus.add(cpu);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cpus: '" + part.trim() + "' in '" + list
                        + "' is not a CPU or a range (expected e.g. 0 or 0-1,3)");
            }
        }
        return cpus;
    }
}
